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
    /// here the tables written after the facts, which are small.
    ///
    /// With `keys` (a full export, which gathered every table's keys while writing it), each
    /// report column that refers to another table is read once in rowid order and its values
    /// looked up in memory: in the parent's keys when the column refers to the parent's INTEGER
    /// PRIMARY KEY, else in the parent column's values, read once. Without (or for a reference of
    /// another shape), SQLite's `PRAGMA foreign_key_check`, which looks each value up in the
    /// parent's b-tree: for most_recent_order_per_customer → fact_orders that is random reads
    /// over the whole fact table, 0.6 s at 5M orders. Both give the same verdict and message.
    func checkReportReferences(_ database: SQLiteDatabase, keys: ReferenceCheck? = nil) throws {
        var keys = keys
        var broken = BrokenReferences()
        for table in ExportTable.all where table.references.isEmpty && table.create.contains("references") {
            // Names come from the export's own catalog and the file's schema, never from input.
            let foreignKeys = try database.rows(
                sql: "select \"table\", \"from\", \"to\" from pragma_foreign_key_list('\(table.name)') order by id, seq")
            let shapes = try foreignKeys.map { try ReportReference($0, database) }
            guard keys != nil, shapes.allSatisfy({ $0 != nil }) else {
                let check = try database.makeStatement(sql: "pragma foreign_key_check(\(table.name))")
                while try check.step() {
                    broken.note("\(check.string(at: 0) ?? "?") → \(check.string(at: 2) ?? "?")", rowID: check.int64(at: 1))
                }
                continue
            }
            for case let reference? in shapes {
                var textValues: Set<[UInt8]> = []
                if reference.toKey {
                    try keys!.load(parent: reference.parent, from: database)
                } else {
                    let values = try database.makeStatement(sql: "select \(reference.parentColumn) from \(reference.parent)")
                    while try values.step() { textValues.insert(Array((values.string(at: 0) ?? "").utf8)) }
                }
                let scan = try database.makeStatement(sql: "select rowid, \(reference.column) from \(table.name)")
                while try scan.step() {
                    let present: Bool
                    switch scan.value(at: 1) {
                    case .null: continue
                    case .integer(let value) where reference.toKey: present = keys!.contains(value, in: reference.parent)
                    case .text(let value) where !reference.toKey: present = textValues.contains(Array(value.utf8))
                    default: present = false
                    }
                    if !present { broken.note("\(table.name) → \(reference.parent)", rowID: scan.int64(at: 0)) }
                }
            }
        }
        guard !broken.order.isEmpty else { return }
        throw ExportError.foreignKeyViolation(Self.brokenReferences(broken.order.map { key in
            let (rows, first) = broken.counts[key]!
            return "\(key): \(rows) row(s) refer to a missing parent row (first: rowid \(first))"
        }))
    }
}

/// Missing parents per "child → parent", in the order first seen, with the lowest rowid.
private struct BrokenReferences {
    var counts: [String: (rows: Int, firstRowID: Int64)] = [:]
    var order: [String] = []

    mutating func note(_ edge: String, rowID: Int64) {
        if let existing = counts[edge] {
            counts[edge] = (existing.rows + 1, min(existing.firstRowID, rowID))
        } else {
            counts[edge] = (1, rowID)
            order.append(edge)
        }
    }
}

/// One single-column foreign key of a report table, in the two shapes checked in memory: to the
/// parent's INTEGER PRIMARY KEY (the rowid), or to a text column of a small parent.
private struct ReportReference {
    let column: String
    let parent: String
    let parentColumn: String
    /// The parent column is the parent's rowid, and its first column (the one whose values a
    /// full export records as the table's keys while writing it).
    let toKey: Bool

    /// `nil` for a foreign key of any other shape (a composite one, one to an implicit key).
    init?(_ row: [SQLiteValue], _ database: SQLiteDatabase) throws {
        guard row.count == 3, case .text(let parent) = row[0], case .text(let column) = row[1],
              case .text(let parentColumn) = row[2] else { return nil }
        let info = try database.rows(sql: "select pk, upper(type), cid from pragma_table_info('\(parent)') where name = ?",
                                     arguments: [.text(parentColumn)])
        let primaryKeyColumns = try database.scalar(sql: "select count(*) from pragma_table_info('\(parent)') where pk > 0")
        guard let first = info.first else { return nil }
        self.column = column
        self.parent = parent
        self.parentColumn = parentColumn
        toKey = first[0] == .integer(1) && first[1] == .text("INTEGER") && first[2] == .integer(0)
            && primaryKeyColumns == .integer(1)
        if !toKey, first[1] != .text("TEXT") { return nil }
    }
}
