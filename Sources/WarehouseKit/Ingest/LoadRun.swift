import Foundation

/// One load inside its transaction: land, settle repeats, merge, check, count.
///
/// Two paths (docs/loads.md): into an empty warehouse the rows are copied straight into
/// `fact_orders` with its indexes built afterwards and the report tables filled from sums kept
/// while streaming (the bulk path); otherwise they land in `staging.orders` and are merged
/// set-based, touching only what changed.
final class LoadRun {
    unowned let ingestor: Ingestor
    let path: String
    /// Standard input or another source that can be read only once.
    let isStream: Bool
    let label: String
    let batchID: Int
    let mode: String
    let knownSHA256: String?
    let rejects = RejectLog()
    private(set) var rowsRead = 0
    /// Physical lines after the header (known once the input is read).
    private(set) var linesRead = 0
    private var headerLines = 1
    /// A stream kept on disk while the load runs, so repeats can be read again.
    private var inputSpool: InputSpool?
    private var connection: PostgresConnection { ingestor.connection }
    private var options: IngestOptions { ingestor.options }
    /// Seconds spent per phase, reported in the summary (`--json`) and by the benchmark.
    private(set) var phases: [IngestSummary.Phase] = []
    private var phaseStart = DispatchTime.now()

    init(ingestor: Ingestor, path: String, isStream: Bool, label: String, batchID: Int, mode: String, knownSHA256: String?) {
        self.ingestor = ingestor
        self.path = path
        self.isStream = isStream
        self.label = label
        self.batchID = batchID
        self.mode = mode
        self.knownSHA256 = knownSHA256
    }

    func execute() throws -> IngestSummary {
        phaseStart = DispatchTime.now()
        try run("00_prepare.sql")
        try connection.execute("select set_config('warehouse.batch_id', \(String(batchID)), true)")
        try connection.execute("select set_config('warehouse.load_mode', \(mode), true)")
        var cache = try DimensionCache.load(from: connection)
        // The bulk path is for a warehouse that never held an order: with history, restored
        // orders must keep the batch that first inserted them, which the merge path does.
        let isEmpty = try connection.execute("""
            select not exists (select 1 from warehouse.fact_orders)
               and not exists (select 1 from warehouse.fact_order_history) as empty
            """).single().bool("empty")
        let target: LandingTarget = isEmpty ? .fact : .staging
        endPhase("read dimensions")
        if target.isBulk {
            try run("05_bulk_prepare.sql")
            try run("15_per_day_triggers_off.sql")
        }
        // A snapshot merge compares each row with the known orders while it streams (KnownOrders);
        // an incremental file is small, and cheaper to compare on the server.
        var known: KnownOrders?
        if !target.isBulk, !options.incremental {
            // Writers other than this load wait until it commits (readers never do): the known
            // orders, and the local copy this load leaves, then describe exactly the facts it
            // saw and wrote.
            try connection.execute("lock table warehouse.fact_orders in share row exclusive mode")
            if let cache = knownOrdersCache, let copy = cache.load(matching: try KnownOrdersCache.State.read(from: connection)) {
                known = copy
                endPhase("read known orders (local copy)")
            } else {
                known = try KnownOrders.read(from: connection)
                endPhase("read known orders (from the facts)")
            }
        }

        var landing = try land(into: target, cache: &cache, known: &known)
        endPhase("validate and land (COPY into \(target.tableName))")

        var keptOldRows: [KeptOrder] = []
        // The per-day tables' rows and the block lists (migrations 0011-0015) being computed
        // beside the load from the rows filed by day; the block lists are stored at its end.
        var dayLists: BackgroundDayLists?
        var summary = IngestSummary(outcome: .loaded, batchID: batchID, source: label, contentSHA256: landing.sha256, mode: mode)
        summary.contentBytes = landing.contentBytes
        summary.rowsRead = rowsRead
        summary.linesRead = linesRead
        summary.warnings = landing.warnings
        if let knownSHA256, knownSHA256 != landing.sha256 {
            throw IngestError.interrupted("\(label): the file changed while it was being loaded; nothing was loaded")
        }
        // Content not fingerprinted before loading (a stream, or a file of another size than the
        // snapshot the warehouse reflects) may still be that snapshot.
        if knownSHA256 == nil, !options.force,
           let earlier = try LoadBatchLedger(connection: connection).currentlyReflected(content: landing.sha256, mode: mode) {
            summary.outcome = .alreadyLoaded
            summary.duplicateOfBatchID = earlier
            return summary
        }

        let repeats = try RepeatResolver(
            connection: connection, target: target, rawSource: inputSpool?.path ?? path, layout: landing.layout,
            expectedSHA256: landing.sha256, rejects: rejects
        ).resolve(ids: try repeatedIDs(landing, target: target), cache: &cache, usedKeys: &landing.usedKeys)
        endPhase("settle repeated order_ids")
        summary.duplicates = repeats.exactRepeats
        summary.rejected = rejects.count
        summary.rejectedLines = rejects.lineCount
        summary.firstRejects = rejects.first
        let landed = landing.validRows - repeats.validOccurrences + repeats.relandedRows

        if options.maxRejects.isExceeded(rejected: rejects.lineCount, read: linesRead) {
            throw IngestError.tooManyRejects(source: label, rejected: rejects.lineCount, read: linesRead,
                                             limit: options.maxRejects.description, first: Array(rejects.first.prefix(10)))
        }
        if landed == 0 { throw IngestError.noValidRows(source: label, rejected: rejects.count, first: Array(rejects.first.prefix(10))) }

        // A first load's days are ranked from here on, on a thread of their own, while the
        // dimension step leaves a processor idle; its block lists after the index builds.
        if target.isBulk, repeats.validOccurrences == 0, !landing.dayLeaders.overflowed {
            dayLists = try landing.dayLeaders.startDayLists(on: connection)
        }
        try cache.landNewMembers(on: connection)
        try run("10_dimensions.sql")
        if target.isBulk { try run("12_bulk_dimension_indexes.sql") }
        summary.newCustomers = cache.newCustomers.count
        summary.newProducts = cache.newProducts.count
        summary.newDates = cache.newDates.count

        if target.isBulk {
            try run("25_bulk_finish.sql")
            // The server's steps from here on are single-threaded: the block lists take the other processor.
            dayLists?.startBlockLists()
            // Each day's orders and revenue, biggest customers and customers (migrations 0011-0013),
            // from the rows filed by day while they streamed, unless repeated ids changed rows after
            // landing or a row could not be filed (a price of 2^32 cents, too many days).
            try storePerDayTables(streamed: dayLists)
            summary.inserted = landed
            if !options.incremental { summary.removed = 0 }
            try landing.aggregates.store(on: connection, excluding: repeats.touchedCustomers)
            try run("35_bulk_report_indexes.sql")
            try connection.execute("insert into load_touched (customer_key) select unnest(\(repeats.touchedCustomers.map(Int.init))::integer[])")
            endPhase("report tables from streamed sums")
        } else {
            if let known {
                // Known orders the file never listed (a rejected row with a readable id lists its order).
                let removed = known.count - known.listedCount
                if !options.allowShrink, Double(removed) > Double(known.count) * options.shrinkLimitPercent / 100 {
                    throw IngestError.shrinkRefused(source: label, missing: removed, known: known.count, limitPercent: options.shrinkLimitPercent)
                }
                try connection.copyIn("copy load_removed_ids (order_id) from stdin") { writer in
                    try known.forEachUnlisted { id in
                        CopyText.appendInt(id, to: writer.pending)
                        writer.pending.append(0x0A)
                        try writer.flushIfNeeded()
                    }
                }
                endPhase("list removed orders")
            }
            // A few thousand landed rows against millions of facts: index lookups, which the
            // planner (pricing random reads as if from disk) would trade for scans of every fact.
            let fewLanded = known.map { landing.validRows - $0.listedCount < $0.count / 10 } ?? false
            // After a full snapshot the facts are what it listed (and the known orders of its
            // rejected rows): the per-day tables are written from the rows filed by day, as a first
            // load's are, rather than maintained by triggers through the merge. Not when repeated
            // ids changed rows after landing, or a row could not be filed.
            let perDayFromStream = known != nil && repeats.validOccurrences == 0 && !landing.dayLeaders.overflowed
            keptOldRows = try readKeptOldRows(landing.keptOldIDs)
            if perDayFromStream {
                for row in keptOldRows { try landing.dayLeaders.add(dateKey: row.date.key, customer: row.customer, cents: row.cents) }
                // Ranked and summed while the server merges, unless nothing will change.
                if !landing.landedPrints.isEmpty || known!.count > known!.listedCount {
                    dayLists = try landing.dayLeaders.startDayLists(on: connection)
                    dayLists?.startBlockLists()
                }
                try run("15_per_day_triggers_off.sql")
            }
            if fewLanded { try setJoinMethods(enabled: false) }
            let counts = try run("20_fact_merge.sql").single()
            if fewLanded { try setJoinMethods(enabled: true) }
            summary.inserted = try counts.int("inserted")
            summary.updated = try counts.int("updated")
            summary.restored = try counts.int("restored")
            summary.unchanged = landed - summary.inserted - summary.updated - summary.restored
            if !options.incremental { summary.removed = try counts.int("removed") }
            if perDayFromStream {
                if !summary.changedOrders {
                    // Nothing changed (a file sent again with --force): the tables are as they were.
                    try run("27_per_day_triggers_on.sql")
                    dayLists = nil
                } else {
                    try storePerDayTables(streamed: dayLists)
                }
            }
        }
        try landing.usedKeys.land(on: connection)
        try run("30_integrity.sql")
        var streamedWeeks = false
        if let known, repeats.validOccurrences == 0 {
            var recentWeeks = landing.recentWeeks
            try storeTouchedReportRows(landing.aggregates, recentWeeks: &recentWeeks, keptOldRows: keptOldRows)
            if !options.dryRun { cacheUpdate = (known, landing.landedPrints) }
            // The kept weeks too come from what the snapshot listed (unless they reach past the
            // days summed); anything else is recomputed in SQL.
            streamedWeeks = try recentWeeks.store(on: connection)
        } else {
            // A bulk load wrote every customer's report rows from the sums it streamed, unless
            // repeats changed rows after landing (those customers are in load_touched); the
            // recomputation would only scan the facts to find none.
            let bulkFromStream = target.isBulk && repeats.touchedCustomers.isEmpty
            if !bulkFromStream { try run("40_reports.sql") }
            // A bulk load writes the kept weeks from the sums it streamed too.
            streamedWeeks = bulkFromStream ? try landing.recentWeeks.store(on: connection) : false
        }
        if streamedWeeks {
            endPhase("recent weeks from streamed sums")
        } else {
            try refreshWindowSummaries(factsChanged: target.isBulk || summary.changedOrders)
        }
        if let dayLists {
            let lists = try dayLists.blockLists()
            Allocator.returnFreedMemory()
            try DayLeaderSums.storeBlockLeaders(lists, on: connection)
            endPhase("block lists")
        }
        if target.isBulk { try run("45_bulk_block_index.sql") }
        if !options.dryRun { try rejects.store(batchID: batchID, on: connection) }
        endPhase("store rejects")
        summary.phases = phases
        return summary
    }

    private func setJoinMethods(enabled: Bool) throws {
        try connection.execute("select set_config('enable_hashjoin', \(enabled ? "on" : "off"), true), set_config('enable_mergejoin', \(enabled ? "on" : "off"), true)")
    }

    private var knownOrdersCache: KnownOrdersCache? {
        options.knownOrdersDirectory.map { KnownOrdersCache(directory: $0) }
    }

    /// Set by a snapshot merge: the known orders and what it landed, to write the local copy
    /// once the load has committed (``writeKnownOrdersCopy(state:)``).
    private var cacheUpdate: (known: KnownOrders, landed: [(id: Int64, fingerprint: UInt64)])?

    /// Called inside the transaction after the batch row succeeded: what the copy will describe.
    func knownOrdersState() throws -> KnownOrdersCache.State? {
        guard knownOrdersCache != nil else { return nil }
        return try KnownOrdersCache.State.read(from: connection)
    }

    /// After commit: the local copy of the known orders as this load left them, or none when the
    /// load could not describe them (a bulk load, an incremental file, repeated order_ids).
    func writeKnownOrdersCopy(state: KnownOrdersCache.State?) {
        guard let cache = knownOrdersCache else { return }
        guard let state, let update = cacheUpdate else {
            cache.discard()
            return
        }
        do {
            try cache.write(state: state) { try update.known.write(to: $0, updatedWith: update.landed) }
        } catch {
            cache.discard()
        }
    }

    /// Writes the per-day tables (migrations 0011-0013) from the days `streamed` ranked beside the
    /// load, or from the facts when the rows were not filed by day (repeated ids, a row that could
    /// not be filed), and switches their triggers
    /// back on (15_per_day_triggers_off.sql switched them off).
    private func storePerDayTables(streamed: BackgroundDayLists?) throws {
        if let streamed {
            try streamed.sums.storePerDayTables(try streamed.perDayRows(), on: connection)
            // The customers' bitmaps (5 MB at 5M orders) are freed: handed back, they do not add
            // to the peak that comes later in a snapshot's load.
            Allocator.returnFreedMemory()
            endPhase("per-day totals, leaders and customers from streamed rows")
        } else {
            try run("26_bulk_daily_totals.sql")
            try connection.execute("select reporting.recompute_day_leaders(), reporting.recompute_day_customers()")
            endPhase("per-day totals, leaders and customers from the facts")
        }
        try run("27_per_day_triggers_on.sql")
    }

    /// A known order whose row the file listed but rejected: it stays as it is, and counts.
    struct KeptOrder {
        var orderID: Int64
        var customer: Int32
        var product: Int16
        var date: CivilDate
        var cents: Int64
        var passengers: Int32
    }

    /// The facts of the known orders whose rows were rejected, read by id.
    private func readKeptOldRows(_ ids: [Int64]) throws -> [KeptOrder] {
        guard !ids.isEmpty else { return [] }
        let kept = try connection.execute("""
            select customer_key, order_id, order_date::text as order_date, product_key,
                   (price * 100)::bigint as cents, passenger_count
            from warehouse.fact_orders where order_id = any(\(ids.map { Int($0) })::bigint[])
            """)
        return try kept.rows.map { row in
            let text = try row.string("order_date")
            guard let date = CivilDate(iso: text) else {
                throw IngestError.integrityViolation("a known order's day \(text) is not a calendar date")
            }
            return KeptOrder(orderID: Int64(try row.int("order_id")), customer: Int32(try row.int("customer_key")),
                             product: Int16(try row.int("product_key")), date: date, cents: Int64(try row.int("cents")),
                             passengers: Int32(try row.int("passenger_count")))
        }
    }

    /// The touched customers' report rows from the sums kept while streaming: every order the
    /// snapshot listed, plus the known orders whose rows were rejected (unchanged facts).
    private func storeTouchedReportRows(_ streamed: CustomerAggregates, recentWeeks: inout RecentWeekSums,
                                        keptOldRows: [KeptOrder]) throws {
        var aggregates = streamed
        for row in keptOldRows {
            aggregates.add(orderID: row.orderID, date: row.date, cents: row.cents, passengers: row.passengers,
                           customer: row.customer, product: row.product)
            recentWeeks.add(date: row.date, cents: row.cents, customer: row.customer)
        }
        let touched = Set(try connection.execute("select customer_key from load_touched").rows.map { Int32(try $0.int("customer_key")) })
        try aggregates.rewriteTouched(on: connection) { touched.contains($0) }
        // The rows compared there (megabytes at 5M orders) are freed, but the allocator keeps the
        // pages; handing them back keeps the load's peak, which comes at its end, within bounds.
        Allocator.returnFreedMemory()
        endPhase("touched customers' report rows from streamed sums")
    }

    /// Recomputes the weeks `reporting.top_customers` keeps ready (migration 0007); a load that
    /// changed no order only checks that the kept weeks are still the wanted ones.
    private func refreshWindowSummaries(factsChanged: Bool) throws {
        try connection.execute("select reporting.refresh_window_summaries(\(factsChanged)) as refreshed")
        endPhase("recent weeks for the weekly report")
    }

    /// Ids seen twice while landing; when the id range was too sparse to track, found in SQL.
    private func repeatedIDs(_ landing: Landing, target: LandingTarget) throws -> Set<Int64> {
        guard landing.repeatsUntracked else { return landing.repeatedIDs }
        return Set(try connection.execute("""
            select order_id from \(unsafeRaw: target.tableName) group by order_id having count(*) > 1
            """).rows.map { Int64(try $0.int("order_id")) })
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

    private func endPhase(_ name: String) {
        let now = DispatchTime.now()
        phases.append(.init(name: name, seconds: Double(now.uptimeNanoseconds - phaseStart.uptimeNanoseconds) / 1e9))
        phaseStart = now
    }

    struct Landing {
        var sha256: String
        var contentBytes: Int
        var layout: ColumnLayout
        /// Valid rows: landed, or left out as unchanged.
        var validRows: Int
        var repeatedIDs: Set<Int64>
        var repeatsUntracked: Bool
        var warnings: [String]
        var usedKeys: UsedKeys
        var aggregates: CustomerAggregates
        /// Fingerprints of the rows sent to the server (changed, new, restored) on a snapshot merge.
        var landedPrints: [(id: Int64, fingerprint: UInt64)]
        /// Known orders whose rows were rejected: listed, so kept as they are.
        var keptOldIDs: [Int64]
        var recentWeeks: RecentWeekSums
        /// Each row's customer and cents filed by day, on a first load or a full snapshot's merge.
        var dayLeaders: DayLeaderSums
    }

    /// Streams the input through the validator into `target` with one COPY. With `known` (a
    /// merge), rows equal to the known order of their id are not sent at all.
    private func land(into target: LandingTarget, cache: inout DimensionCache, known: inout KnownOrders?) throws -> Landing {
        let reader = try ByteReader(path: path)
        let hasher = SHA256Hasher()
        let spool = isStream ? try InputSpool() : nil
        inputSpool = spool
        let scanner = CSVScanner(reader: reader, label: label) { bytes in
            hasher.update(bytes)
            spool?.write(bytes)
        }
        var layout: ColumnLayout?
        var warnings: [String] = []
        var seen = OrderIDSet()
        var repeated: Set<Int64> = []
        var usedKeys = UsedKeys()
        var aggregates = CustomerAggregates()
        var recentWeeks = RecentWeekSums()
        let dayLeaders = DayLeaderSums()
        let keepSums = target.isBulk
        var landed = 0
        var valid = 0
        var keptOldIDs: [Int64] = []
        var landedPrints: [(id: Int64, fingerprint: UInt64)] = []
        let sourceSize = reader.sourceSize
        var nextProgress = 100_000
        var refusal: (any Error)?
        var inputEnd: (physicalLines: Int, endedWithoutLineEnd: Bool)?

        // The file is read, scanned and validated on a second thread, a batch ahead of this one
        // (ValidatedRowStream); everything that depends on order happens here, row by row.
        let stream = ValidatedRowStream(scanner: scanner, label: label, keys: cache.streamedKeys()) { reader.sourceBytesRead }
        stream.start()
        // A load that fails does not wait for the reading thread (its source may have stalled).
        defer { stream.cancel() }
        try connection.copyIn(target.copyStatement) { writer in
            target.begin(into: writer.pending)
            defer { target.end(into: writer.pending) }
            while inputEnd == nil {
                let batch = stream.next()
                defer { stream.recycle(batch) }
                if let header = batch.header {
                    if !header.layout.ignored.isEmpty {
                        warnings.append("ignored extra column(s): \(header.layout.ignored.map { OrderValidator.excerpt($0) }.joined(separator: ", "))")
                    }
                    layout = header.layout
                    headerLines = header.lines
                }
                for row in batch.rows {
                    rowsRead += 1
                    if row.reject >= 0 {
                        let rejection = batch.rejects[Int(row.reject)]
                        if known != nil, let id = rejection.readableOrderID, known!.noteListed(id: id) { keptOldIDs.append(id) }
                        if rejection.spansLines {
                            // Most likely a stray quote that swallowed the lines after it: the line
                            // it opened on is rejected, and the others were read again on their own.
                            try rejects.add(line: rejection.line, column: rejection.column,
                                            reason: rejection.reason + " (a quoted field opened on this line ran across line breaks; "
                                                + "only this line is rejected and reading resumes on the next)",
                                            raw: rejection.raw)
                        } else {
                            try rejects.add(line: rejection.line, column: rejection.column, reason: rejection.reason, raw: rejection.raw)
                        }
                        if case .count(let limit) = options.maxRejects, rejects.lineCount > limit {
                            // Stop reading: the load is refused whatever the rest holds.
                            refusal = IngestError.tooManyRejects(source: label, rejected: rejects.lineCount,
                                                                 read: rejection.physicalLinesRead - headerLines,
                                                                 limit: options.maxRejects.description, first: Array(rejects.first.prefix(10)))
                            throw refusal!
                        }
                        continue
                    }
                    let order = OrderFields(orderID: row.orderID, customerName: batch.name(row), productID: batch.productID(row),
                                            priceCents: row.priceCents, date: row.date, passengerCount: row.passengerCount)
                    if seen.insert(order.orderID) { repeated.insert(order.orderID) }
                    // Keyed on the stream's keying thread, new members at their first row (StreamedDimensionKeys).
                    let customer = row.customerKey
                    if row.newCustomer { cache.adoptCustomer(key: customer, name: order.customerName, indexed: false) }
                    guard row.productKey >= 0 else { throw IngestError.integrityViolation("more than 32,766 products") }
                    let product = row.productKey
                    if row.newProduct { cache.adoptProduct(key: product, id: order.productID, indexed: false) }
                    cache.noteDate(order.date)
                    valid += 1
                    // A snapshot merge sums every listed order, unchanged ones included: the touched
                    // customers' report rows then come from memory, not from a scan of the facts.
                    if keepSums || known != nil {
                        aggregates.add(order, customer: customer, product: product)
                        recentWeeks.add(order, customer: customer)
                    }
                    if keepSums || known != nil {
                        try dayLeaders.add(dateKey: order.date.key, customer: customer, cents: order.priceCents)
                    }
                    if known != nil {
                        let fingerprint = KnownOrders.fingerprint(customer: customer, product: product, date: order.date.key,
                                                                  cents: order.priceCents, passengers: order.passengerCount)
                        var repeatedKnown = false
                        let comparison = known!.compare(id: order.orderID, fingerprint: fingerprint, repeated: &repeatedKnown)
                        // Found here too when the id range was too sparse for `seen`.
                        if repeatedKnown { repeated.insert(order.orderID) }
                        if comparison == .unchanged { continue }
                        landedPrints.append((order.orderID, fingerprint))
                    }
                    usedKeys.note(customer: customer, product: product, date: order.date.key)
                    target.encode(order, customer: customer, product: product, line: row.line, into: writer.pending)
                    landed += 1
                    try writer.flushIfNeeded()
                }
                if rowsRead >= nextProgress {
                    nextProgress = rowsRead + 100_000
                    ingestor.progress(IngestProgress(rows: rowsRead, sourceBytes: batch.sourceBytesRead, sourceSize: sourceSize, phase: "loading"))
                }
                switch batch.end {
                case nil: break
                case .finished(let physicalLines, let endedWithoutLineEnd): inputEnd = (physicalLines, endedWithoutLineEnd)
                case .failed(let error): throw error
                }
            }
        }
        stream.stop()
        cache.adoptStreamedMembers(stream.addedMembers)
        if let refusal { throw refusal }
        guard let layout, let inputEnd else { throw IngestError.emptyInput(source: label) }
        guard rowsRead > 0 else { throw IngestError.headerOnly(source: label) }
        linesRead = inputEnd.physicalLines - headerLines
        if inputEnd.endedWithoutLineEnd {
            warnings.append("the last line (line \(inputEnd.physicalLines)) has no line end: if the file was cut short, its last row may be wrong")
        }
        if let spool { try spool.finish() }
        return Landing(sha256: hasher.finalizeHex(), contentBytes: hasher.byteCount, layout: layout, validRows: valid, repeatedIDs: repeated,
                       repeatsUntracked: seen.overflowed, warnings: warnings, usedKeys: usedKeys, aggregates: aggregates,
                       landedPrints: landedPrints, keptOldIDs: keptOldIDs,
                       recentWeeks: recentWeeks, dayLeaders: dayLeaders)
    }
}
