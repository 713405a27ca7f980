/// The export's metadata: what PostgreSQL says about the snapshot, the `export_info` table, and
/// the final foreign-key check.
extension SQLiteExporter {
    struct SnapshotInfo {
        let asOf: String
        let exportedAt: String
        let databaseName: String
        let lastBatchID: Int64?
        let lastBatchFinishedAt: String?
    }

    /// Key/value, like MBTiles' `metadata`: new facts need no new columns. `value` has no
    /// declared type on purpose, so counts stay integers and dates stay text.
    static let exportInfoTable = """
        create table export_info (
            key   text primary key,
            value -- no declared type: each value keeps its own (integer counts, text dates)
        )
        """

    /// Sets up the session for the COPYs and reads the snapshot's facts. Must run first in the
    /// snapshot transaction: its first statement is what fixes the snapshot.
    func readSnapshotInfo() throws -> SnapshotInfo {
        // Dates must come out as YYYY-MM-DD whatever the server's DateStyle is.
        try connection.execute("set local datestyle = 'ISO, YMD'")
        // warehouse.as_of is local to this transaction: the weekly report's source reads it,
        // because COPY cannot take a bind parameter. current_date is the server's today, as
        // for the reporting.top_customers_last_week view.
        if let atBatch {
            // An unknown or unsucceeded batch is an error from facts_at_batch, before any row.
            try connection.execute("""
                select set_config('warehouse.at_batch', \(String(atBatch)), true),
                       (select count(*) from (select from warehouse.facts_at_batch(\(atBatch)::bigint) limit 1) as probe)
                """)
        }
        let row = try connection.execute("""
            select
                set_config('warehouse.as_of', coalesce(\(asOf)::date, current_date)::text, true) as as_of,
                to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as exported_at,
                current_database() as database_name,
                b.batch_id as last_batch_id,
                to_char(b.finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as last_batch_finished_at
            from (select 1) as one
            left join lateral (
                select batch_id, finished_at
                from ops.load_batches
                where status = 'succeeded' and batch_id <= coalesce(\(atBatch)::bigint, batch_id)
                order by batch_id desc
                limit 1
            ) as b on true
            """).single()
        return SnapshotInfo(
            asOf: try row.string("as_of"),
            exportedAt: try row.string("exported_at"),
            databaseName: try row.string("database_name"),
            lastBatchID: try row.optionalInt("last_batch_id").map(Int64.init),
            lastBatchFinishedAt: try row.optionalString("last_batch_finished_at"))
    }

    func writeExportInfo(_ database: SQLiteDatabase, snapshot: SnapshotInfo, tables: [SQLiteExportSummary.Table]) throws {
        var entries: [(String, SQLiteValue)] = [
            ("format_version", .integer(Self.formatVersion)),
            ("as_of", .text(snapshot.asOf)),
            ("exported_at", .text(snapshot.exportedAt)),
            ("source", .text(ConnectionString.redact(sourceDescription))),
            ("source_database", .text(snapshot.databaseName)),
            ("last_batch_id", snapshot.lastBatchID.map(SQLiteValue.integer) ?? .null),
            ("last_batch_finished_at", snapshot.lastBatchFinishedAt.map(SQLiteValue.text) ?? .null),
        ]
        if let atBatch { entries.append(("at_batch", .integer(Int64(atBatch)))) }
        entries += tables.map { ("rows.\($0.name)", .integer(Int64($0.rows))) }
        let insert = try database.makeStatement(sql: "insert into export_info (key, value) values (?, ?)")
        for (key, value) in entries { try insert.execute([.text(key), value]) }
    }

    /// Fails the export when a row refers to a parent row that is not in the file.
    ///
    /// PostgreSQL's warehouse keeps these references without foreign-key constraints (see
    /// docs/schema.md), so a broken one is possible there; it must not ship in a file that
    /// declares them.
    func checkForeignKeys(_ database: SQLiteDatabase) throws {
        let check = try database.makeStatement(sql: "pragma foreign_key_check")
        var counts: [String: (rows: Int, firstRowID: Int64)] = [:]
        var order: [String] = []
        while try check.step() {
            let key = "\(check.string(at: 0) ?? "?") → \(check.string(at: 2) ?? "?")"
            if let existing = counts[key] {
                counts[key] = (existing.rows + 1, existing.firstRowID)
            } else {
                counts[key] = (1, check.int64(at: 1))
                order.append(key)
            }
        }
        guard !order.isEmpty else { return }
        let lines = order.map { key in
            let (rows, first) = counts[key]!
            return "\(key): \(rows) row(s) refer to a missing parent row (first: rowid \(first))"
        }
        throw ExportError.foreignKeyViolation(
            "the warehouse's references do not hold together:\n  " + lines.joined(separator: "\n  ")
                + "\n(run `warehouse status` to see the integrity check)")
    }
}
