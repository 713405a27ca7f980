public import Foundation

/// Writes the warehouse and its three reports into a SQLite file (application.db).
///
/// - Consistent: everything is read in one `REPEATABLE READ READ ONLY` transaction, so the
///   tables and reports agree with each other even while a load commits.
/// - Streaming: each table arrives through `COPY (select …) TO STDOUT`, one row at a time,
///   into a prepared INSERT; no table is ever held in memory.
/// - Atomic: the file is built under a temporary name beside the destination and renamed over
///   it at the end; on any error the temporary file is removed and the old file stays as it was.
///
/// The layout and its types are documented in docs/export.md.
public struct SQLiteExporter {
    /// Bumped when the layout of application.db changes; stored in `PRAGMA user_version`
    /// and `export_info.format_version`.
    public static let formatVersion: Int64 = 1

    public let connection: PostgresConnection
    public let destination: URL
    /// The as-of date of the weekly report, `YYYY-MM-DD`; `nil` for the server's today.
    public var asOf: String?
    /// Export the warehouse as it stood right after this batch committed; `nil` for now.
    public var atBatch: Int?
    /// Where the data came from, for `export_info`; passwords are redacted again here.
    public var sourceDescription: String

    /// Test hook: called after each row is inserted, with the table and its rows so far; a
    /// throw aborts the export there, as a failure half-way would.
    var afterRow: ((_ table: String, _ rowsWritten: Int) throws -> Void)?

    public init(connection: PostgresConnection, destination: URL, asOf: String? = nil, sourceDescription: String) {
        self.connection = connection
        self.destination = destination
        self.asOf = asOf
        self.sourceDescription = sourceDescription
    }

    /// Runs the export; `progress` hears about each table once it is written.
    ///
    /// The connection must not be inside a transaction: the export opens its own snapshot.
    /// Two exports to the same destination from one process at once would share a temporary
    /// name; from different processes they do not, and the last rename wins with a whole file.
    /// PATH is checked first (``ExportDestination``): only a new path, a regular file or a
    /// symbolic link to one is accepted, before any database work.
    /// - Throws: ``ExportError`` (destination, malformed data, broken foreign keys),
    ///   ``PostgresError`` or ``SQLiteError``. After any throw the destination is unchanged and
    ///   no temporary file is left.
    @discardableResult
    public func run(progress: (SQLiteExportSummary.Table) -> Void = { _ in }) throws -> SQLiteExportSummary {
        let clock = ContinuousClock()
        let started = clock.now
        let file = try ReplacingFile(destination: destination)
        try file.prepare()
        do {
            let (snapshot, tables) = try connection.readOnlySnapshot {
                let snapshot = try readSnapshotInfo()
                let tables = try write(to: file.temporary.path, snapshot: snapshot, progress: progress)
                return (snapshot, tables)
            }
            try file.commit()
            let size = (try? FileManager.default.attributesOfItem(atPath: file.destination.path)[.size] as? NSNumber)?
                .int64Value ?? 0
            return SQLiteExportSummary(
                path: file.destination.path, throughLink: file.checked.link?.path,
                asOf: snapshot.asOf, exportedAt: snapshot.exportedAt, lastBatchID: snapshot.lastBatchID, tables: tables,
                seconds: (clock.now - started).seconds, fileBytes: size)
        } catch {
            file.discard()
            throw error
        }
    }

    /// Builds the whole file at `path`: schema, rows, indexes, checks, `export_info`.
    private func write(
        to path: String, snapshot: SnapshotInfo, progress: (SQLiteExportSummary.Table) -> Void
    ) throws -> [SQLiteExportSummary.Table] {
        let database = try SQLiteDatabase(path: path)
        // No journal and no fsync while building: the file is private until the rename, and
        // a failed build is thrown away whole, so crash safety inside it buys nothing.
        // foreign_keys stays off during the load and the keys are checked once at the end
        // (PRAGMA foreign_key_check), set-wise instead of row by row.
        try database.execute(sql: """
            pragma journal_mode = off;
            pragma synchronous = off;
            pragma foreign_keys = off;
            pragma cache_size = -16384;
            """)
        let clock = ContinuousClock()
        var tables: [SQLiteExportSummary.Table] = []
        try database.transaction(.exclusive) {
            for table in ExportTable.all { try database.execute(sql: table.create) }
            try database.execute(sql: Self.exportInfoTable)
            for table in ExportTable.all {
                let started = clock.now
                let rows = try copy(table, into: database)
                for index in table.indexes { try database.execute(sql: index) }
                let written = SQLiteExportSummary.Table(name: table.name, rows: rows, seconds: (clock.now - started).seconds)
                tables.append(written)
                progress(written)
            }
            try checkForeignKeys(database)
            try writeExportInfo(database, snapshot: snapshot, tables: tables)
        }
        // Statistics for the query planner of whoever opens the file; analysis_limit keeps
        // ANALYZE to a sample, so it costs milliseconds, not a pass over every index.
        try database.execute(sql: """
            pragma analysis_limit = 1000;
            analyze;
            pragma user_version = \(Self.formatVersion);
            """)
        try database.close()
        return tables
    }

    /// Streams one table from PostgreSQL into SQLite; returns its row count.
    private func copy(_ table: ExportTable, into database: SQLiteDatabase) throws -> Int {
        let insert = try database.makeStatement(sql: table.insertSQL)
        var decoder = CopyTextDecoder()
        var rows = 0
        let source = atBatch == nil ? table.source : table.sourceAtBatch ?? table.source
        try connection.copyOut("copy (\(sql: source)) to stdout") { line in
            rows += 1
            try decoder.decode(line) { row in try table.bind(row, to: insert, rowNumber: rows) }
            try insert.step()
            try insert.reset()
            try afterRow?(table.name, rows)
        }
        return rows
    }
}

extension Duration {
    fileprivate var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
