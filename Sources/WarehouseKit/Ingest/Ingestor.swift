import Foundation

/// Loads one snapshot (or incremental file) into the star schema: validate once in Swift while
/// streaming, land the typed rows with COPY, then merge set-based (`sql/transform/`), all in one
/// transaction under an advisory lock. See docs/loads.md for the design and its measurements.
public final class Ingestor {
    /// `pg_advisory_lock` key shared by every load (and `warehouse check`): loads never interleave.
    static let lockKey: Int64 = 0x5748_4C4F_4144  // "WHLOAD"

    let connection: PostgresConnection
    let options: IngestOptions
    let progress: (IngestProgress) -> Void

    public init(connection: PostgresConnection, options: IngestOptions = IngestOptions(),
                progress: @escaping (IngestProgress) -> Void = { _ in }) {
        self.connection = connection
        self.options = options
        self.progress = progress
    }

    /// Loads `path` (`-` for standard input; gzip is detected by content).
    /// - Throws: ``IngestError`` for bad input or a refused load, ``PostgresError`` for the
    ///   database; in every case the warehouse is as it was and a failed batch is recorded.
    public func ingest(path: String) throws -> IngestSummary {
        let started = DispatchTime.now()
        let kind = options.sourceKind ?? (path == "-" ? .stdin : .file)
        let label = options.sourceLabel ?? (path == "-" ? "stdin" : path)
        let mode = options.incremental ? "incremental" : "snapshot"
        let ledger = LoadBatchLedger(connection: connection)

        try acquireLock()
        defer { _ = try? connection.execute("select pg_advisory_unlock(\(Self.lockKey))") }
        if !options.dryRun { try ledger.closeAbandoned() }

        // A regular file that may be the snapshot the warehouse reflects (the same size) is
        // fingerprinted first: sent again, it costs one read, not a load. Any other file is
        // fingerprinted while it streams, as standard input, a FIFO or `<(zcat …)` always are (they
        // can be read only once), and a load that turns out to hold that content is rolled back.
        let isStream = path == "-" || !Self.isRegularFile(path)
        var knownSHA: String?
        if !isStream, !options.force, try ledger.mayReflect(contentBytes: Self.plainSize(path), mode: mode) {
            let sha: String
            do {
                sha = try Self.fingerprint(path: path, progress: progress)
            } catch {
                // A file that cannot be read to its end (a truncated gzip) is a failed load too.
                if !options.dryRun {
                    let batchID = try ledger.start(source: label, kind: kind.rawValue, mode: mode, sha256: nil, forced: options.force)
                    try ledger.fail(batchID, error: String(describing: error), rowsRead: nil, rejected: nil)
                }
                throw error
            }
            knownSHA = sha
            if let earlier = try ledger.currentlyReflected(content: sha, mode: mode) {
                return try alreadyLoaded(label: label, kind: kind, mode: mode, sha: sha, earlier: earlier, started: started, ledger: ledger)
            }
        }

        let batchID = options.dryRun ? 0 : try ledger.start(source: label, kind: kind.rawValue, mode: mode, sha256: knownSHA, forced: options.force)
        let run = LoadRun(ingestor: self, path: path, isStream: isStream, label: label, batchID: batchID, mode: mode,
                          knownSHA256: knownSHA)
        do {
            var knownOrdersState: KnownOrdersCache.State?
            let summary = try connection.transaction { () throws -> IngestSummary in
                var summary = try run.execute()
                summary.elapsedSeconds = Self.seconds(since: started)
                if summary.outcome == .alreadyLoaded { throw AlreadyLoaded(summary: summary) }
                if options.dryRun { throw DryRunFinished(summary: summary) }
                try ledger.succeed(batchID, summary: summary)
                try options.beforeCommit?(connection)
                knownOrdersState = try run.knownOrdersState()
                return summary
            }
            run.writeKnownOrdersCopy(state: knownOrdersState)
            return summary
        } catch let finished as DryRunFinished {
            var summary = finished.summary
            summary.outcome = .checked
            summary.batchID = nil
            return summary
        } catch let duplicate as AlreadyLoaded {
            // Standard input turned out to hold content loaded before: the rows were rolled back.
            try ledger.markSkipped(batchID, sha256: duplicate.summary.contentSHA256, duplicateOf: duplicate.summary.duplicateOfBatchID)
            var summary = duplicate.summary
            summary.batchID = batchID
            return summary
        } catch {
            if !options.dryRun {
                let message = String(describing: error)
                _ = try? ledger.fail(batchID, error: message, rowsRead: run.rowsRead, rejected: run.rejects.count)
                // Keep what was refused with the failed batch, so "why did it fail" is one query away.
                _ = try? run.rejects.store(batchID: batchID, on: connection)
            }
            throw error
        }
    }

    private func alreadyLoaded(label: String, kind: IngestOptions.SourceKind, mode: String, sha: String, earlier: Int,
                               started: DispatchTime, ledger: LoadBatchLedger) throws -> IngestSummary {
        var summary = IngestSummary(outcome: options.dryRun ? .checked : .alreadyLoaded, source: label, contentSHA256: sha, mode: mode)
        summary.duplicateOfBatchID = earlier
        if !options.dryRun {
            summary.batchID = try ledger.recordSkipped(source: label, kind: kind.rawValue, mode: mode, sha256: sha, duplicateOf: earlier)
        }
        summary.outcome = .alreadyLoaded
        summary.elapsedSeconds = Self.seconds(since: started)
        return summary
    }

    private func acquireLock() throws {
        let got = try connection.execute("select pg_try_advisory_lock(\(Self.lockKey)) as got").single().bool("got")
        if !got {
            progress(IngestProgress(rows: 0, sourceBytes: 0, sourceSize: nil, phase: "waiting for another load to finish"))
            try connection.execute("select pg_advisory_lock(\(Self.lockKey))")
        }
    }

    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The size of a file that is not compressed (its content's size), or nil.
    static func plainSize(_ path: String) -> Int? {
        guard let reader = try? ByteReader(path: path, chunkSize: 4096), !reader.isCompressed else { return nil }
        return reader.sourceSize
    }

    /// SHA-256 of the decompressed content.
    static func fingerprint(path: String, progress: (IngestProgress) -> Void) throws -> String {
        let reader = try ByteReader(path: path)
        let hasher = SHA256Hasher()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try reader.read(into: $0) }
            if count == 0 { break }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
        return hasher.finalizeHex()
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    struct DryRunFinished: Error { let summary: IngestSummary }
    struct AlreadyLoaded: Error { let summary: IngestSummary }
}
