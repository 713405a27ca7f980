import Foundation

/// Runs the full export's `COPY … TO STDOUT` statements on a thread of its own and hands their
/// rows over in batches, already decoded, so receiving and parsing rows overlaps with writing
/// them into SQLite.
///
/// A full export is CPU-bound on the client, and the machine has a second core: while the
/// caller's thread binds and inserts one batch (or builds an index), this thread waits on
/// libpq, splits the next rows into fields and parses their numbers (``EncodedRows``), and for
/// the small tables (dimensions, reports) reads all their rows ahead, so the report queries run
/// in PostgreSQL while the caller builds the fact indexes.
///
/// The connection is lent, not shared: between `init` and ``finish()`` only this thread uses
/// it, and the caller must not touch it (it has nothing to do with it meanwhile: it consumes
/// the batches). `finish()` stops a COPY still running (the server is asked to cancel it) and
/// waits for the thread, so the connection is the caller's again, outside any COPY.
final class BackgroundCopy: @unchecked Sendable {
    /// Decoded rows of one statement, in order.
    final class Batch: @unchecked Sendable {
        fileprivate(set) var rows: EncodedRows
        /// The 1-based number of the batch's first row within its table, for messages.
        fileprivate(set) var firstRowNumber = 1

        fileprivate init(width: Int) { rows = EncodedRows(width: width) }
    }

    /// One statement to run: the COPY, the table whose rows it returns (how to decode them), and
    /// how many batches may wait for the caller before this thread waits in turn (`Int.max`: read
    /// every row into memory regardless).
    struct Statement: Sendable {
        let copy: SQL
        let table: ExportTable
        let maximumQueued: Int
    }

    /// About this many bytes of rows per batch: large enough that handing one over costs
    /// nothing per row, small enough to stay in the CPU's caches.
    static let batchBytes = 256 << 10

    private struct Channel {
        var ready: [Batch] = []
        var finished = false
    }

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var channels: [Channel]
    private var spare: [Int: [Batch]] = [:]
    private var failure: (any Error)?
    private var cancelled = false
    private var threadDone = false
    private let maximumQueued: [Int]

    /// Starts running the statements, one after the other.
    init(connection: PostgresConnection, statements: [Statement]) {
        channels = Array(repeating: Channel(), count: statements.count)
        maximumQueued = statements.map(\.maximumQueued)
        let lent = LentConnection(connection: connection)
        let thread = Thread { [self] in
            run(lent.connection, statements)
        }
        // COPY and its error paths nest a few frames deep; the default 512 KiB is tight for Swift.
        thread.stackSize = 8 << 20
        thread.start()
    }

    private struct LentConnection: @unchecked Sendable {
        let connection: PostgresConnection
    }

    private func run(_ connection: PostgresConnection, _ statements: [Statement]) {
        do {
            for (index, statement) in statements.enumerated() {
                let table = statement.table
                let width = table.columns.reduce(0) { $0 + $1.width }
                var batch = takeSpare(width: width)
                var decoder = CopyTextDecoder()
                var rowNumber = 0
                try connection.copyOut("copy (\(sql: statement.copy)) to stdout") { line in
                    rowNumber += 1
                    batch.rows.appendRow()
                    try decoder.decode(line) { row in try table.bind(row, to: &batch.rows, rowNumber: rowNumber) }
                    if batch.rows.byteCount >= Self.batchBytes {
                        try hand(batch, to: index)
                        batch = takeSpare(width: width)
                        batch.firstRowNumber = rowNumber + 1
                    }
                }
                try hand(batch, to: index)
                condition.withLock {
                    channels[index].finished = true
                    condition.broadcast()
                }
            }
            condition.withLock {
                threadDone = true
                condition.broadcast()
            }
        } catch {
            condition.withLock {
                if failure == nil, !cancelled { failure = error }
                threadDone = true
                condition.broadcast()
            }
        }
    }

    private func takeSpare(width: Int) -> Batch {
        condition.withLock { spare[width]?.popLast() } ?? Batch(width: width)
    }

    private func hand(_ batch: Batch, to index: Int) throws {
        try condition.withLock {
            while channels[index].ready.count >= maximumQueued[index], !cancelled { condition.wait() }
            if cancelled { throw CancellationError() }
            if batch.rows.count > 0 { channels[index].ready.append(batch) }
            condition.broadcast()
        }
    }

    /// The next batch of the statement at `index` (statements are consumed in order), or `nil`
    /// once that statement's rows are all handed over.
    /// - Throws: the error that ended this thread's work (PostgreSQL's, a lost connection).
    func next(of index: Int) throws -> Batch? {
        try condition.withLock {
            while true {
                if let failure { throw failure }
                if !channels[index].ready.isEmpty { return channels[index].ready.removeFirst() }
                if channels[index].finished { return nil }
                if threadDone { throw ExportError.malformedCopyRow("the COPY reader stopped early") }
                condition.wait()
            }
        }
    }

    /// Gives a consumed batch back for reuse, so the rows of a large table cycle through a few
    /// buffers instead of allocating new ones.
    func recycle(_ batch: Batch) {
        batch.rows.removeAll()
        condition.withLock {
            if spare[batch.rows.width, default: []].count < 8 { spare[batch.rows.width, default: []].append(batch) }
            condition.broadcast()
        }
    }

    /// Stops any COPY still running and waits for the thread; afterwards the connection is the
    /// caller's again. Call it exactly once, on every path (`defer`).
    func finish() {
        condition.withLock {
            if !threadDone { cancelled = true }
            condition.broadcast()
            while !threadDone { condition.wait() }
        }
    }
}
