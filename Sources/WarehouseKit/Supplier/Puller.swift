import Foundation
public import Logging

/// `warehouse pull`: fetches every page of orders changed since the high-water mark, keeps the
/// raw pages and a replayable CSV in the ``LandingArea``, then loads the CSV as ONE batch
/// through the same validated, atomic ``Ingestor`` path as a file. All pages or nothing: any
/// failure before the load (a page that cannot be fetched, parsed or fits no contract) leaves
/// the warehouse and the mark untouched and is recorded as a failed batch.
///
/// The mark moves inside the load's transaction (via `IngestOptions.beforeCommit`, on the same
/// connection that runs the transaction), so it moves if and only if the orders are committed.
/// Updating it right after the commit would be safe too (a crash in between only re-fetches
/// orders, which merge as unchanged), but then the two could disagree for a while.
public final class Puller {
    let database: DatabaseSession
    let configuration: SupplierConfiguration
    let landing: LandingArea
    let options: PullOptions
    let logger: Logger

    /// - Parameter database: the session the pull reads its mark through and loads on.
    public init(database: DatabaseSession, configuration: SupplierConfiguration, landing: LandingArea,
                options: PullOptions = PullOptions(), logger: Logger = Logger(label: "warehouse.pull")) {
        self.database = database
        self.configuration = configuration
        self.landing = landing
        self.options = options
        self.logger = logger
    }

    /// Runs one pull: from the API, or from `configuration.csvURL` as a full snapshot.
    /// - Throws: ``SupplierError`` for the supplier's side, ``IngestError`` or ``PostgresError``
    ///   for the load; in every case nothing was loaded and the mark did not move.
    public func pull() async throws -> PullSummary {
        if let csvURL = configuration.csvURL { return try await pullCSV(from: csvURL) }
        return try await pullAPI()
    }

    private struct Fetched {
        var rows = 0
        /// Physical lines of the landing CSV, header included.
        var csvLines = 1
        var mark: SupplierTimestamp?
        var superseded = 0
    }

    private func pullAPI() async throws -> PullSummary {
        let started = DispatchTime.now()
        let source = configuration.sourceKey
        let previous = try await database.run { try PullState(connection: $0, source: source).highWaterMark() }
        let since = options.full ? nil : previous
        let batchMode = options.full ? "snapshot" : "incremental"
        var summary = PullSummary(source: configuration.sourceKey, mode: options.full ? "full" : "incremental")
        summary.updatedSince = since?.iso8601
        summary.previousMark = previous?.iso8601
        summary.highWaterMark = previous?.iso8601
        summary.warnings = configuration.warnings
        logger.info("pulling \(endpoint) \(since.map { "changed since \($0.iso8601)" } ?? "from the start")")
        let startedAt = options.now()
        var future = FutureTimestampGuard(startedAt: startedAt, tolerance: options.futureTolerance)
        if let previous, previous > future.latestAccepted {
            let warning = "the stored high-water mark \(previous.iso8601) is more than \(FutureTimestampGuard.format(future.tolerance)) "
                + "in the future, so this pull asks only for orders changed after it; run `warehouse pull --full` once to reset it"
            summary.warnings.append(warning)
            logger.warning("\(warning)")
        }

        let files = try landing.begin(at: startedAt)
        let label = "\(endpoint) (\(files.csvURL.path))"
        let fetched: Fetched
        do {
            fetched = try await fetchAll(since: since, into: files, summary: &summary, future: &future)
        } catch {
            files.discardPartial()
            await recordFailedFetch(error, source: label, mode: batchMode)
            throw error
        }
        summary.superseded = fetched.superseded
        let futureRejects = future.numbered(after: fetched.csvLines)

        if fetched.rows == 0, !futureRejects.isEmpty {
            files.discardPartial()
            throw try await database.run { connection in
                try Self.recordOnlyFutureRejects(futureRejects, label: label, mode: batchMode, connection: connection)
            }
        }
        if fetched.rows == 0 {
            // No CSV to replay: a header alone is not a load.
            files.discardPartial()
            summary.outcome = .nothingNew
            summary.batchID = try await database.run { connection in
                try Self.recordNothingNew(source: label, mode: batchMode, state: PullState(connection: connection, source: source),
                                          connection: connection)
            }
            summary.elapsedSeconds = Ingestor.seconds(since: started)
            return summary
        }
        let csv = try files.publishCSV()
        summary.csvFile = csv.path
        // Never past the pull's start plus the tolerance, whatever got through.
        let mark = fetched.mark.map { min($0, future.latestAccepted) }
        var load = try await load(csv: csv, label: label, incremental: !options.full, remerge: true, mark: mark,
                                  futureRejects: futureRejects)
        if !futureRejects.isEmpty {
            load.rowsRead += futureRejects.count
            load.linesRead += futureRejects.count
            load.rejected += futureRejects.count
            load.rejectedLines += futureRejects.count
            load.firstRejects += futureRejects.prefix(10)
        }
        summary.load = load
        summary.batchID = load.batchID
        summary.outcome = load.outcome == .alreadyLoaded ? .alreadyLoaded : .loaded
        summary.highWaterMark = try await database.run { try PullState(connection: $0, source: source).highWaterMark()?.iso8601 }
        summary.elapsedSeconds = Ingestor.seconds(since: started)
        return summary
    }

    /// Every page in turn, each landed as received, then checked; their orders go to the
    /// landing CSV. Throws at the first page that fails: the pull is all pages or nothing.
    private func fetchAll(since: SupplierTimestamp?, into files: LandingArea.Pull, summary: inout PullSummary,
                          future: inout FutureTimestampGuard) async throws -> Fetched {
        let client = SupplierClient(configuration: configuration, timeouts: options.timeouts, retry: options.retry, logger: logger)
        let writer = try LandingCSVWriter(url: files.partialURL)
        // Repeated ids are found with a bitmap (memory by id range, not row count), as in ingest.
        var seen = OrderIDSet()
        var repeated: Set<Int64> = []
        var cursors: Set<String> = []
        var cursor: String?
        var fetched = Fetched()
        repeat {
            let number = summary.pages + 1
            guard number <= options.maximumPages else {
                throw SupplierError(.contract, "more than \(options.maximumPages) pages: stopped, the server seems never to end")
            }
            let body = try await client.ordersPage(updatedSince: since, cursor: cursor, limit: options.pageSize)
            let file = try files.writePage(number, body)
            summary.pages = number
            summary.pageFiles.append(file.path)
            let page: OrdersPage
            do {
                page = try OrdersPage.decode(body, page: number)
            } catch {
                throw SupplierError(error.code, "\(error.message) (the response is kept in \(file.path))")
            }
            for (index, order) in page.orders.enumerated() {
                guard future.admits(order, position: "page \(number), order \(index + 1)") else { continue }
                try writer.write(order)
                if let id = order.integerID, seen.insert(id) { repeated.insert(id) }
                if fetched.mark.map({ order.updatedAt > $0 }) ?? true { fetched.mark = order.updatedAt }
            }
            summary.ordersReceived += page.orders.count
            logger.info("page \(number): \(page.orders.count) orders\(page.nextCursor == nil ? " (last page)" : "")")
            if let next = page.nextCursor, !cursors.insert(next).inserted {
                throw SupplierError(.contract, "page \(number): next_cursor repeats an earlier page's; the pages would never end")
            }
            cursor = page.nextCursor
        } while cursor != nil
        try writer.finish()

        fetched.rows = writer.rows
        fetched.csvLines = writer.lines
        if !repeated.isEmpty {
            (fetched.superseded, fetched.csvLines) = try keepLatestVersions(of: repeated, files: files, pages: summary.pages, future: future)
            fetched.rows -= fetched.superseded
        }
        if !future.rejected.isEmpty {
            logger.warning("\(future.rejected.count) order(s) dated more than \(FutureTimestampGuard.format(future.tolerance)) after the pull started: rejected")
        }
        return fetched
    }

    /// Hands the landing CSV to the Ingestor, the mark moving inside its transaction.
    ///
    /// `remerge` (API pulls) turns off ingest's "this content was loaded before" skip: what the
    /// API sends is the supplier's current truth, and rows equal to an earlier pull's may be a
    /// revert of changes loaded since (a price set back), which must be applied. Merging known
    /// rows again changes nothing and is counted as unchanged; the batch is marked `is_forced`.
    func load(csv: URL, label: String, incremental: Bool, remerge: Bool, mark: SupplierTimestamp?,
              futureRejects: [RejectedRow] = []) async throws -> IngestSummary {
        var ingest = IngestOptions()
        ingest.incremental = incremental
        ingest.force = remerge
        ingest.sourceKind = .api
        ingest.sourceLabel = label
        ingest.maxRejects = options.maxRejects
        ingest.allowShrink = options.allowShrink
        let replace = !incremental
        let hook = options.beforeCommit
        let limit = options.maxRejects
        let source = configuration.sourceKey
        ingest.beforeCommit = { connection in
            let state = PullState(connection: connection, source: source)
            let batchID = try state.currentBatchID()
            if let batchID {
                try Self.recordFutureRejects(futureRejects, batchID: batchID, limit: limit, label: label, connection: connection)
            }
            try state.advance(to: mark, batchID: batchID, replace: replace)
            try hook?()
        }
        let progress = options.progress
        let path = csv.path
        let ingestOptions = ingest
        return try await database.run { connection in
            let summary: IngestSummary
            do {
                summary = try Ingestor(connection: connection, options: ingestOptions, progress: { progress?($0) }).ingest(path: path)
            } catch {
                try? Self.recordFutureRejectsOfFailedLoad(futureRejects, label: label, connection: connection)
                throw error
            }
            if summary.outcome == .alreadyLoaded {
                // A CSV download equal to an earlier snapshot: skipped as ingest would; note the run.
                try PullState(connection: connection, source: source).advance(to: mark, batchID: summary.batchID, replace: replace)
            }
            return summary
        }
    }

    /// `{base}/orders`, credentials removed: the name of this source in ops.load_batches.
    var endpoint: String {
        var base = configuration.sourceKey
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/orders"
    }

    // MARK: - Ledger rows for pulls that never reach the Ingestor

    /// A pull that failed before loading is still a row in ops.load_batches, with its error,
    /// so "why did last night's pull not load" is one query away.
    func recordFailedFetch(_ error: any Error, source: String, mode: String) async {
        let message = String(describing: error)
        _ = try? await database.run { connection in
            let ledger = LoadBatchLedger(connection: connection)
            // Start and fail in one transaction: no other session ever sees it "running" (and
            // closes it as abandoned).
            try connection.transaction {
                let batchID = try ledger.start(source: source, kind: IngestOptions.SourceKind.api.rawValue, mode: mode, sha256: nil, forced: false)
                try ledger.fail(batchID, error: message, rowsRead: nil, rejected: nil)
            }
        }
    }

    /// A pull that found nothing changed: a succeeded batch of 0 rows; the mark stays.
    private static func recordNothingNew(source: String, mode: String, state: PullState, connection: PostgresConnection) throws -> Int {
        let ledger = LoadBatchLedger(connection: connection)
        return try connection.transaction {
            let batchID = try ledger.start(source: source, kind: IngestOptions.SourceKind.api.rawValue, mode: mode, sha256: nil, forced: false)
            try ledger.succeed(batchID, summary: IngestSummary(outcome: .loaded, batchID: batchID, source: source, contentSHA256: nil, mode: mode))
            try state.advance(to: nil, batchID: batchID, replace: false)
            return batchID
        }
    }
}
