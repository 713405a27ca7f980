import Foundation

/// One load inside its transaction: land, de-duplicate, merge, check, count.
final class LoadRun {
    unowned let ingestor: Ingestor
    let path: String
    let label: String
    let batchID: Int
    let mode: String
    let rejects = RejectLog()
    private(set) var rowsRead = 0
    private var connection: PostgresConnection { ingestor.connection }
    /// Seconds spent per phase, reported in the summary (`--json`) and by the benchmark.
    private(set) var phases: [IngestSummary.Phase] = []
    private var phaseStart = DispatchTime.now()

    private func endPhase(_ name: String) {
        let now = DispatchTime.now()
        phases.append(.init(name: name, seconds: Double(now.uptimeNanoseconds - phaseStart.uptimeNanoseconds) / 1e9))
        phaseStart = now
    }
    private var options: IngestOptions { ingestor.options }

    init(ingestor: Ingestor, path: String, label: String, batchID: Int, mode: String) {
        self.ingestor = ingestor
        self.path = path
        self.label = label
        self.batchID = batchID
        self.mode = mode
    }

    func execute() throws -> IngestSummary {
        // Planner and memory settings for this transaction only.
        try connection.executeScript("""
            set local work_mem = '256MB';
            set local maintenance_work_mem = '512MB';
            set local synchronous_commit = on;
            truncate staging.orders, staging.new_customers, staging.new_products, staging.new_dates;
            """)
        try connection.execute("select set_config('warehouse.batch_id', \(String(batchID)), true)")

        phaseStart = DispatchTime.now()
        var cache = try DimensionCache.load(from: connection)
        endPhase("read dimensions")
        let landing = try land(into: &cache)
        endPhase("validate and land (COPY)")
        var summary = IngestSummary(outcome: .loaded, batchID: batchID, source: label, contentSHA256: landing.sha256, mode: mode)
        summary.rowsRead = rowsRead
        summary.warnings = landing.warnings

        if path == "-", !options.force, let earlier = try LoadBatchLedger(connection: connection).earlierLoad(ofContent: landing.sha256, mode: mode) {
            summary.outcome = .alreadyLoaded
            summary.duplicateOfBatchID = earlier
            return summary
        }

        let duplicates = try DuplicateResolver(connection: connection, rawSource: inputSpool?.path ?? path, rejects: rejects)
            .resolve(candidateIDs: landing.repeatedIDs, searchAll: landing.repeatsUntracked, cache: &cache)
        endPhase("settle repeated order_ids")
        summary.duplicates = duplicates.exactRepeats
        summary.rejected = rejects.count
        summary.firstRejects = rejects.first
        let staged = landing.landedRows - duplicates.removedRows

        if options.maxRejects.isExceeded(rejected: rejects.count, read: rowsRead) {
            throw IngestError.tooManyRejects(source: label, rejected: rejects.count, read: rowsRead,
                                             limit: options.maxRejects.description, first: Array(rejects.first.prefix(10)))
        }
        if staged == 0 {
            throw IngestError.noValidRows(source: label, rejected: rejects.count, first: Array(rejects.first.prefix(10)))
        }

        try cache.landNewMembers(on: connection)
        endPhase("land new dimension members")
        summary.newCustomers = cache.newCustomers.count
        summary.newProducts = cache.newProducts.count
        summary.newDates = cache.newDates.count

        let knownBefore = options.incremental ? 0 : try connection.execute("select count(*) as n from warehouse.fact_orders").single().int("n")
        endPhase("count known orders")
        try run("10_dimensions.sql")
        let counts = try run("20_fact_merge.sql").single()
        summary.inserted = try counts.int("inserted")
        summary.updated = try counts.int("updated")
        summary.unchanged = staged - summary.inserted - summary.updated
        try run("30_integrity.sql")
        if !options.incremental {
            let missing = knownBefore - (staged - summary.inserted)
            summary.missing = missing
            if !options.allowShrink, knownBefore > 0, Double(missing) > Double(knownBefore) * options.shrinkLimitPercent / 100 {
                throw IngestError.shrinkRefused(source: label, missing: missing, known: knownBefore, limitPercent: options.shrinkLimitPercent)
            }
        }
        ingestor.progress(IngestProgress(rows: rowsRead, sourceBytes: 0, sourceSize: nil, phase: "updating reports"))
        try run("40_reports.sql")
        if !options.dryRun { try rejects.store(batchID: batchID, on: connection) }
        endPhase("store rejects")
        summary.phases = phases
        return summary
    }

    @discardableResult
    private func run(_ step: String) throws -> PostgresResult {
        guard let sql = SQLFiles.transform(named: step) else {
            throw IngestError.integrityViolation("transform step \(step) is missing from this build")
        }
        ingestor.progress(IngestProgress(rows: rowsRead, sourceBytes: 0, sourceSize: nil, phase: step))
        let result = try connection.executeScriptReturningLast(sql)
        endPhase(step)
        return result
    }

    struct Landing {
        var sha256: String
        var landedRows: Int
        var repeatedIDs: [Int64]
        var repeatsUntracked: Bool
        var warnings: [String]
    }

    /// Streams the input through the validator into `staging.orders` with one COPY.
    private func land(into cache: inout DimensionCache) throws -> Landing {
        let reader = try ByteReader(path: path)
        let hasher = SHA256Hasher()
        let spool = path == "-" ? try InputSpool() : nil
        let scanner = CSVScanner(reader: reader) { bytes in
            hasher.update(bytes)
            spool?.write(bytes)
        }
        var validator: OrderValidator?
        var headerSeen = false
        var warnings: [String] = []
        var seen = OrderIDSet()
        var repeated: [Int64] = []
        var landed = 0
        let sourceSize = reader.sourceSize
        var nextProgress = 100_000
        var refusal: (any Error)?

        try connection.copyIn("""
            copy staging.orders (order_id, customer_key, product_key, date_key, order_date, price, passenger_count, line_number) from stdin
            """) { writer in
            try scanner.scan { record in
                guard headerSeen else {
                    headerSeen = true
                    let names = (0..<record.count).map { String(decoding: record.field($0), as: UTF8.self) }
                    let layout = try ColumnLayout.from(header: names, source: label)
                    if !layout.ignored.isEmpty {
                        warnings.append("ignored extra column(s): \(layout.ignored.joined(separator: ", "))")
                    }
                    validator = OrderValidator(layout: layout)
                    return
                }
                rowsRead += 1
                let order: ValidatedOrder
                do {
                    order = try validator!.validate(record)
                } catch let rejection as RowRejection {
                    try rejects.add(line: record.line, column: rejection.column, reason: rejection.reason, raw: record.rawText)
                    if case .count(let limit) = options.maxRejects, rejects.count > limit {
                        // Stop reading: the load is refused whatever the rest holds.
                        refusal = IngestError.tooManyRejects(source: label, rejected: rejects.count, read: rowsRead,
                                                             limit: options.maxRejects.description, first: Array(rejects.first.prefix(10)))
                        throw refusal!
                    }
                    return
                }
                if seen.insert(order.orderID) { repeated.append(order.orderID) }
                let customer = cache.customerKey(order.customerName)
                let product = try cache.productKey(order.productID)
                cache.noteDate(order.date)
                Self.encode(order, customer: customer, product: product, line: record.line, into: &writer.pending)
                landed += 1
                try writer.flushIfNeeded()
                if rowsRead >= nextProgress {
                    nextProgress += 100_000
                    ingestor.progress(IngestProgress(rows: rowsRead, sourceBytes: reader.sourceBytesRead, sourceSize: sourceSize, phase: "loading"))
                }
            }
        }
        if let refusal { throw refusal }
        guard headerSeen else { throw IngestError.emptyInput(source: label) }
        guard rowsRead > 0 else { throw IngestError.headerOnly(source: label) }
        if let spool { try spool.finish() }
        inputSpool = spool
        return Landing(sha256: hasher.finalizeHex(), landedRows: landed, repeatedIDs: repeated,
                       repeatsUntracked: seen.overflowed, warnings: warnings)
    }

    /// Standard input kept on disk while the load runs, so rejected repeats can quote their raw text.
    private(set) var inputSpool: InputSpool?

    @inline(__always)
    static func encode(_ order: ValidatedOrder, customer: Int32, product: Int16, line: Int, into out: inout [UInt8]) {
        CopyText.appendInt(order.orderID, to: &out)
        out.append(0x09)
        CopyText.appendInt(Int64(customer), to: &out)
        out.append(0x09)
        CopyText.appendInt(Int64(product), to: &out)
        out.append(0x09)
        CopyText.appendInt(Int64(order.date.key), to: &out)
        out.append(0x09)
        CopyText.appendDate(order.date, to: &out)
        out.append(0x09)
        CopyText.appendCents(order.priceCents, to: &out)
        out.append(0x09)
        CopyText.appendInt(Int64(order.passengerCount), to: &out)
        out.append(0x09)
        CopyText.appendInt(Int64(line), to: &out)
        out.append(0x0A)
    }
}
