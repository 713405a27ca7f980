public import Foundation

/// Writes the warehouse and its three reports into a SQLite file (application.db), whole or by
/// bringing an existing file up to date.
///
/// - Consistent: everything is read in one `REPEATABLE READ READ ONLY` transaction, so the
///   tables and reports agree with each other even while a load commits.
/// - Streaming: each table arrives through `COPY (select …) TO STDOUT`, one row at a time,
///   into a prepared statement. A full export receives and decodes the rows on a second thread
///   (``BackgroundCopy``): the facts a few batches ahead, never whole; the tables that grow
///   with customers (dimensions, reports) whole, so their queries run while the indexes build.
/// - Incremental when it can: a file this format made from this warehouse is updated in place,
///   in one SQLite transaction, with only the rows the loads since its batch changed (see
///   `SQLiteExporter+Incremental.swift`); otherwise a full export builds a new file.
/// - Atomic either way: a full export builds the file under a temporary name beside the
///   destination and renames it over it; an incremental one commits or rolls back. On any error
///   the old file stays as it was.
///
/// The layout, its types and the choices are documented in docs/export.md.
public struct SQLiteExporter {
    /// Bumped when the layout of application.db changes; stored in `PRAGMA user_version`
    /// and `export_info.format_version`. A file of another version is rewritten whole.
    /// 2: the report tables list their rows in report order (rowid order).
    /// 3: `fact_orders_customer_idx` is on `customer_key` alone.
    public static let formatVersion: Int64 = 3

    public let connection: PostgresConnection
    public let destination: URL
    /// The as-of date of the weekly report, `YYYY-MM-DD`; `nil` for the server's today.
    public var asOf: String?
    /// Export the warehouse as it stood right after this batch committed; `nil` for now.
    /// Always a full export.
    public var atBatch: Int?
    /// Where the data came from, for `export_info`: a URL (its password is redacted again
    /// here) or a phrase such as "embedded cluster"; never a path of this machine.
    public var sourceDescription: String
    /// `false` to build a new file even when the existing one could be brought up to date.
    public var allowIncremental = true
    /// How long an incremental export waits for readers of the file to finish their read
    /// transactions before its commit, in milliseconds (SQLite's busy timeout).
    public var busyTimeoutMilliseconds: Int32 = 60_000

    /// Test hook: called after each row is inserted, with the table and its rows so far; a
    /// throw aborts the export there, as a failure half-way would.
    var afterRow: ((_ table: String, _ rowsWritten: Int) throws -> Void)?
    /// Test hook: called in an incremental export once every change is made, just before COMMIT.
    var beforeCommit: (() throws -> Void)?

    public init(connection: PostgresConnection, destination: URL, asOf: String? = nil, sourceDescription: String) {
        self.connection = connection
        self.destination = destination
        self.asOf = asOf
        self.sourceDescription = sourceDescription
    }

    /// Runs the export; `progress` hears about each table once it is written.
    ///
    /// The connection must not be inside a transaction: the export opens its own snapshot.
    /// Run one export of a file at a time (a cron job, a systemd timer). PATH is checked first
    /// (``ExportDestination``): only a new path, a regular file or a symbolic link to one is
    /// accepted, before any database work.
    /// - Throws: ``ExportError`` (destination, malformed data, broken foreign keys),
    ///   ``PostgresError`` or ``SQLiteError``. After any throw the destination is unchanged and
    ///   no temporary file is left.
    @discardableResult
    public func run(progress: (SQLiteExportSummary.Table) -> Void = { _ in }) throws -> SQLiteExportSummary {
        let clock = ContinuousClock()
        let started = clock.now
        let file = try ReplacingFile(destination: destination)
        let exists = try ExportDestination.kind(ofEntryAt: file.destination.path, followingLinks: false) == .regular
        var isFull = true
        var since: Int64?
        var fullReason: String?
        do {
            let (snapshot, tables) = try connection.readOnlySnapshot {
                let snapshot = try readSnapshotInfo()
                var reason = atBatch != nil ? "--at-batch" : !allowIncremental ? "requested" : !exists ? "no file yet" : nil
                if reason == nil {
                    switch try updateInPlace(file.destination.path, snapshot: snapshot, progress: progress) {
                    case .updated(let tables, let sinceBatch):
                        isFull = false
                        since = sinceBatch
                        return (snapshot, tables)
                    case .notUpdatable(let why):
                        reason = why
                    }
                }
                fullReason = reason
                try file.prepare()
                return (snapshot, try writeNewFile(file.temporary.path, snapshot: snapshot, progress: progress))
            }
            if isFull {
                if exists { Self.settleHotJournal(of: file.destination.path) }
                try file.commit()
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: file.destination.path)[.size] as? NSNumber)?
                .int64Value ?? 0
            return SQLiteExportSummary(
                kind: isFull ? .full : .incremental, fullReason: fullReason, sinceBatchID: since,
                path: file.destination.path, throughLink: file.checked.link?.path,
                asOf: snapshot.asOf, exportedAt: snapshot.exportedAt, lastBatchID: snapshot.lastBatchID, tables: tables,
                seconds: (clock.now - started).seconds, fileBytes: size)
        } catch {
            if isFull { file.discard() }
            throw error
        }
    }
}

extension SQLiteExporter {
    /// A crashed incremental export leaves `PATH-journal` beside the file; SQLite rolls it back
    /// into whichever file bears the name next. Before a new file takes that name, let SQLite
    /// roll the journal back into the old file it belongs to (any read does), so the journal is
    /// gone. Best effort: an old file that is not SQLite has no journal to settle.
    static func settleHotJournal(of path: String) {
        guard (try? ExportDestination.kind(ofEntryAt: path + "-journal", followingLinks: false)) == .regular else { return }
        guard let database = try? SQLiteDatabase(path: path) else { return }
        _ = try? database.scalar(sql: "select count(*) from sqlite_master")
        try? database.close()
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
