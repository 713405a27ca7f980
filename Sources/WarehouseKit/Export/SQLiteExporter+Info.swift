/// The export's metadata: what PostgreSQL says about the snapshot, the `export_info` table, and
/// the reports' foreign-key check.
extension SQLiteExporter {
    struct SnapshotInfo {
        let asOf: String
        let exportedAt: String
        let databaseName: String
        /// Which database this is, so a file made from another one is never updated in place:
        /// the cluster's system identifier and the database's oid. Not secret, not a path.
        let sourceID: String
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
        // pg_control_system() is executable by everyone on a stock server; a managed service may
        // revoke it, and then the database's oid alone names it (a file then needs one full
        // export after a restore under the same name, which is what the batch check gives anyway).
        let canReadSystemID = try connection.execute("""
            select has_function_privilege('pg_control_system()', 'execute') as allowed
            """).single().bool("allowed")
        let systemID = canReadSystemID
            ? try connection.execute("select system_identifier::text as id from pg_control_system()").single().string("id")
            : "unknown"
        let row = try connection.execute("""
            select
                set_config('warehouse.as_of', coalesce(\(asOf)::date, current_date)::text, true) as as_of,
                (select oid::text from pg_database where datname = current_database()) as database_oid,
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
            sourceID: "postgresql system \(systemID), database oid \(try row.string("database_oid"))",
            lastBatchID: try row.optionalInt("last_batch_id").map(Int64.init),
            lastBatchFinishedAt: try row.optionalString("last_batch_finished_at"))
    }

    /// Writes `export_info` afresh (an incremental export empties it first, in its transaction).
    func writeExportInfo(
        _ database: SQLiteDatabase, snapshot: SnapshotInfo, kind: SQLiteExportSummary.Kind,
        tables: [SQLiteExportSummary.Table], fullExportedAt: String? = nil
    ) throws {
        var entries: [(String, SQLiteValue)] = [
            ("format_version", .integer(Self.formatVersion)),
            ("as_of", .text(snapshot.asOf)),
            ("exported_at", .text(snapshot.exportedAt)),
            ("export_kind", .text(kind.rawValue)),
            ("full_exported_at", .text(fullExportedAt ?? snapshot.exportedAt)),
            ("source", .text(ConnectionString.redact(sourceDescription))),
            ("source_database", .text(snapshot.databaseName)),
            ("source_id", .text(snapshot.sourceID)),
            ("last_batch_id", snapshot.lastBatchID.map(SQLiteValue.integer) ?? .null),
            ("last_batch_finished_at", snapshot.lastBatchFinishedAt.map(SQLiteValue.text) ?? .null),
        ]
        if let atBatch { entries.append(("at_batch", .integer(Int64(atBatch)))) }
        entries += tables.map { ("rows.\($0.name)", .integer(Int64($0.rows))) }
        let insert = try database.makeStatement(sql: "insert into export_info (key, value) values (?, ?)")
        for (key, value) in entries { try insert.execute([.text(key), value]) }
    }

    /// Fails the export when a report row refers to a parent row that is not in the file.
    ///
    /// PostgreSQL's warehouse keeps these references without foreign-key constraints (see
    /// docs/schema.md), so a broken one is possible there; it must not ship in a file that
    /// declares them. The facts' references are checked as they stream in (``ReferenceCheck``);
    /// here SQLite checks the tables written after the facts, which are small.
    func checkReportReferences(_ database: SQLiteDatabase) throws {
        var counts: [String: (rows: Int, firstRowID: Int64)] = [:]
        var order: [String] = []
        for table in ExportTable.all where table.references.isEmpty && table.create.contains("references") {
            // The name comes from the export's own catalog, never from input.
            let check = try database.makeStatement(sql: "pragma foreign_key_check(\(table.name))")
            while try check.step() {
                let key = "\(check.string(at: 0) ?? "?") → \(check.string(at: 2) ?? "?")"
                if let existing = counts[key] {
                    counts[key] = (existing.rows + 1, existing.firstRowID)
                } else {
                    counts[key] = (1, check.int64(at: 1))
                    order.append(key)
                }
            }
        }
        guard !order.isEmpty else { return }
        throw ExportError.foreignKeyViolation(Self.brokenReferences(order.map { key in
            let (rows, first) = counts[key]!
            return "\(key): \(rows) row(s) refer to a missing parent row (first: rowid \(first))"
        }))
    }
}
