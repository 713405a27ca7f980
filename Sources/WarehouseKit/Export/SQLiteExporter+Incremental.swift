/// The incremental export: an existing application.db brought up to date in place.
///
/// The warehouse knows what changed after the batch a file reflects (docs/schema.md, History):
/// orders whose current version a later load made, and orders a later load replaced or removed.
/// Only those rows (and new dimension members) are written, in **one SQLite transaction** on
/// the existing file, in its rollback-journal mode: SQLite's own locking keeps a reader on the
/// old state until the commit and the journal undoes a crash half-way, so nobody ever sees a
/// half-updated file. The small report tables are rewritten whole in the same transaction
/// (their row order is the report's). docs/export.md explains the choice against WAL and
/// against copy-and-rename.
extension SQLiteExporter {
    enum InPlaceOutcome {
        case updated([SQLiteExportSummary.Table], sinceBatch: Int64)
        /// The file cannot be brought up to date; the reason is what the summary reports.
        case notUpdatable(String)
    }

    func updateInPlace(
        _ path: String, snapshot: SnapshotInfo, progress: (SQLiteExportSummary.Table) -> Void
    ) throws -> InPlaceOutcome {
        let database: SQLiteDatabase
        do {
            database = try SQLiteDatabase(path: path)
        } catch let error as SQLiteError {
            return .notUpdatable("the file cannot be opened as SQLite (\(error.message))")
        }
        defer { try? database.close() }
        // Readers holding a read transaction delay the commit (never the reverse for long: the
        // commit itself is short); wait for them instead of failing at once.
        try database.execute(sql: "pragma busy_timeout = \(busyTimeoutMilliseconds)")
        // BEGIN IMMEDIATE takes the write lock up front, so a second writer waits here rather
        // than failing half-way; opening the transaction also rolls back a hot journal a crashed
        // update left behind.
        let info: [String: SQLiteValue]
        do {
            try database.execute(sql: "begin immediate transaction")
            info = try Self.readExportInfo(database)
        } catch let error as SQLiteError where !error.isBusy {
            if database.isInsideTransaction { try? database.execute(sql: "rollback transaction") }
            return .notUpdatable("the file is not an application.db (\(error.message))")
        }
        let outcome: InPlaceOutcome
        do {
            if let reason = try reasonForFullExport(existing: info, snapshot: snapshot) {
                outcome = .notUpdatable(reason)
            } else {
                guard case .integer(let since)? = info["last_batch_id"] else { preconditionFailure("checked above") }
                let tables = try applyChanges(since: since, existing: info, to: database, snapshot: snapshot, progress: progress)
                try beforeCommit?()
                try database.execute(sql: "commit transaction")
                return .updated(tables, sinceBatch: since)
            }
        } catch {
            if database.isInsideTransaction { try? database.execute(sql: "rollback transaction") }
            throw error
        }
        try database.execute(sql: "rollback transaction")
        return outcome
    }

    /// Why the existing file must be rebuilt rather than updated, or `nil` when it can be updated.
    private func reasonForFullExport(existing info: [String: SQLiteValue], snapshot: SnapshotInfo) throws -> String? {
        guard info["format_version"] == .integer(Self.formatVersion) else {
            return "the file has layout version \(info["format_version"]?.description ?? "none"), this build writes \(Self.formatVersion)"
        }
        if info["at_batch"] != nil { return "the file was made with --at-batch" }
        guard info["source_id"] == .text(snapshot.sourceID) else { return "the file was made from another database" }
        guard case .integer(let since)? = info["last_batch_id"] else { return "the file reflects no load yet" }
        guard let last = snapshot.lastBatchID, since <= last else {
            return "the file reflects batch \(since), later than the warehouse's last (\(snapshot.lastBatchID.map(String.init) ?? "none"))"
        }
        // The same batch id must be the same load: a database restored from a backup hands
        // out ids again.
        let finished = try connection.execute("""
            select to_char(finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as finished_at
            from ops.load_batches
            where batch_id = \(since) and status = 'succeeded'
            """).rows.first.map { try $0.optionalString("finished_at") } ?? nil
        guard let finished, info["last_batch_finished_at"] == .text(finished) else {
            return "batch \(since), which the file reflects, is not the warehouse's batch \(since)"
        }
        return nil
    }

    private func applyChanges(
        since: Int64, existing info: [String: SQLiteValue], to database: SQLiteDatabase, snapshot: SnapshotInfo,
        progress: (SQLiteExportSummary.Table) -> Void
    ) throws -> [SQLiteExportSummary.Table] {
        // Enough cache that a daily load's changes stay in memory until the commit: a spill
        // would take the exclusive lock early and keep readers out for the rest of the update.
        try database.execute(sql: "pragma cache_size = -65536")
        // A local setting of this snapshot's transaction: COPY cannot take bind parameters.
        try connection.execute("select set_config('warehouse.export_since', \(String(since)), true)")
        let clock = ContinuousClock()
        var references = ReferenceCheck()
        var tables: [SQLiteExportSummary.Table] = []
        for table in ExportTable.all {
            let started = clock.now
            for reference in table.references { try references.load(parent: reference.parent, from: database) }
            let before: Int
            if case .integer(let count)? = info["rows.\(table.name)"] {
                before = Int(count)
            } else {
                before = Int(try database.scalar(sql: "select count(*) from \(table.name)")?.int64 ?? 0)
            }
            var counts: ChangeCounts
            switch table.refresh {
            case .changedRows(let delta):
                counts = try applyChangedRows(delta, of: table, to: database, references: &references)
            case .rewrite:
                try database.execute(sql: "delete from \(table.name)")
                counts = ChangeCounts(deleted: before)
                counts.inserted = try copy(table.source, of: table, into: database, references: &references)
            }
            try throwIfBroken(references)
            let written = SQLiteExportSummary.Table(
                name: table.name, rows: before + counts.inserted - counts.deleted, inserted: counts.inserted,
                updated: counts.updated, deleted: counts.deleted, seconds: (clock.now - started).seconds)
            tables.append(written)
            progress(written)
        }
        try checkReportReferences(database)
        try database.execute(sql: "delete from export_info")
        try writeExportInfo(
            database, snapshot: snapshot, kind: .incremental, tables: tables, fullExportedAt: info["full_exported_at"]?.string)
        return tables
    }

    struct ChangeCounts {
        var inserted = 0
        var updated = 0
        var deleted = 0
    }

    /// Inserts the delta's new rows, updates the ones that differ, deletes the ones gone.
    private func applyChangedRows(
        _ delta: SQL, of table: ExportTable, to database: SQLiteDatabase, references: inout ReferenceCheck
    ) throws -> ChangeCounts {
        let names = table.sqliteColumnNames
        let key = names[0]
        // ON CONFLICT names the key: any other constraint a row breaks is still an error.
        let insert = try database.makeStatement(sql: "insert into \(table.name) (\(names.joined(separator: ", "))) values ("
            + (1...names.count).map { "?\($0)" }.joined(separator: ", ") + ") on conflict (\(key)) do nothing")
        // Only a row whose values differ is written: an unchanged one costs a lookup, no page.
        let others = names.enumerated().dropFirst()
        let update = try database.makeStatement(sql: "update \(table.name) set "
            + others.map { "\($1) = ?\($0 + 1)" }.joined(separator: ", ")
            + " where \(key) = ?1 and not (" + others.map { "\($1) is ?\($0 + 1)" }.joined(separator: " and ") + ")")
        let delete = try database.makeStatement(sql: "delete from \(table.name) where \(key) = ?1")
        var decoder = CopyTextDecoder()
        let parents = references.parentKeys(of: table)
        var counts = ChangeCounts()
        var rows = 0
        try connection.copyOut("copy (\(sql: delta)) to stdout") { line in
            rows += 1
            try decoder.decode(line) { row in
                if row.count > 1, row[1] == nil {
                    guard let id = row[0].flatMap(CopyNumber.int64) else {
                        throw ExportError.malformedCopyRow("\(table.name) change \(rows) has no key")
                    }
                    try delete.reset()
                    try delete.bind(id, at: 1)
                    try delete.step()
                    counts.deleted += database.changes
                    return
                }
                try table.bind(row, to: insert, rowNumber: rows)
                try table.checkReferences(row, rowNumber: rows, parents: parents, into: &references)
                try insert.step()
                try insert.reset()
                if database.changes > 0 {
                    counts.inserted += 1
                    return
                }
                try table.bind(row, to: update, rowNumber: rows)
                try update.step()
                try update.reset()
                counts.updated += database.changes
            }
            try afterRow?(table.name, rows)
        }
        return counts
    }

    /// The existing file's `export_info`, key → value.
    static func readExportInfo(_ database: SQLiteDatabase) throws -> [String: SQLiteValue] {
        var info: [String: SQLiteValue] = [:]
        for row in try database.rows(sql: "select key, value from export_info") {
            if case .text(let key) = row[0] { info[key] = row[1] }
        }
        return info
    }
}
