import Foundation

/// Runs `COPY … TO STDOUT` statements on a thread of their own and hands their rows over in
/// batches, so receiving rows from PostgreSQL overlaps with what the caller does with them.
///
/// A full export is CPU-bound on the client, and the machine has a second core: while the
/// caller's thread inserts one batch into SQLite (or builds an index), this thread waits on
/// libpq, copies the next rows out of its buffers and, for the small report tables, keeps them
/// all in memory until the caller is free for them.
///
/// The connection is lent, not shared: between `init` and ``finish()`` only this thread uses
/// it, and the caller must not touch it (it has nothing to do with it meanwhile: it consumes
/// the batches). `finish()` stops a COPY still running (the server is asked to cancel it) and
/// waits for the thread, so the connection is the caller's again, outside any COPY.
final class BackgroundCopy: @unchecked Sendable {
    /// Rows of COPY text, each with its final newline, as PostgreSQL sent them.
    final class Batch: @unchecked Sendable {
        fileprivate let bytes = ByteBuffer(capacity: BackgroundCopy.batchBytes + 4096)
        fileprivate var ends: [Int] = []

        var count: Int { ends.count }

        /// Calls `body` with each row in order; the pointers are valid only inside `body`.
        func forEachRow(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
            let all = bytes.bytes
            var start = 0
            for end in ends {
                try body(UnsafeRawBufferPointer(rebasing: all[start..<end]))
                start = end
            }
        }

        fileprivate func reset() {
            bytes.removeAll()
            ends.removeAll(keepingCapacity: true)
        }
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
    private var spare: [Batch] = []
    private var failure: (any Error)?
    private var cancelled = false
    private var threadDone = false
    private let maximumQueued: [Int]

    /// Starts running the statements (each a `COPY … TO STDOUT`), one after the other.
    /// - Parameter statements: each with how many batches may wait for the caller before this
    ///   thread waits in turn; `Int.max` to read the statement's rows into memory regardless.
    init(connection: PostgresConnection, statements: [(copy: SQL, maximumQueued: Int)]) {
        channels = Array(repeating: Channel(), count: statements.count)
        maximumQueued = statements.map(\.maximumQueued)
        let statements = statements.map(\.copy)
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

    private func run(_ connection: PostgresConnection, _ statements: [SQL]) {
        do {
            for (index, statement) in statements.enumerated() {
                var batch = takeSpare()
                try connection.copyOut(statement) { line in
                    batch.bytes.append(line)
                    batch.ends.append(batch.bytes.count)
                    if batch.bytes.count >= Self.batchBytes {
                        try hand(batch, to: index)
                        batch = takeSpare()
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

    private func takeSpare() -> Batch {
        condition.withLock { spare.popLast() } ?? Batch()
    }

    private func hand(_ batch: Batch, to index: Int) throws {
        try condition.withLock {
            while channels[index].ready.count >= maximumQueued[index], !cancelled { condition.wait() }
            if cancelled { throw CancellationError() }
            if batch.count > 0 { channels[index].ready.append(batch) }
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
        batch.reset()
        condition.withLock {
            if spare.count < 8 { spare.append(batch) }
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
