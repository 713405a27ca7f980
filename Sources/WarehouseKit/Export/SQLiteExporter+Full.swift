/// The full export: a new file, built from nothing under its temporary name.
extension SQLiteExporter {
    /// Builds the whole file at `path`: schema, rows, indexes, checks, `export_info`.
    func writeNewFile(
        _ path: String, snapshot: SnapshotInfo, progress: (SQLiteExportSummary.Table) -> Void
    ) throws -> [SQLiteExportSummary.Table] {
        let database = try SQLiteDatabase(path: path)
        // No journal and no fsync while building: the file is private until the rename, and
        // a failed build is thrown away whole, so crash safety inside it buys nothing.
        // foreign_keys stays off: the facts' references are checked while they stream in
        // (ReferenceCheck), the reports' once at the end.
        // A small page cache (2 MiB, SQLite's default): appending rows needs only the rightmost
        // pages, and CREATE INDEX sizes its in-memory sort runs by it. Runs that fit the CPU's
        // caches, merged afterwards, took half the CPU of 16 MiB runs (0.7 s against 1.3 s for
        // the two fact indexes at 1M orders).
        try database.execute(sql: """
            pragma page_size = \(Self.pageSize);
            pragma journal_mode = off;
            pragma synchronous = off;
            pragma foreign_keys = off;
            pragma cache_size = -2000;
            """)
        let clock = ContinuousClock()
        var tables: [SQLiteExportSummary.Table] = []
        var references = ReferenceCheck()
        // Every table's rows are received on a second thread while this one writes SQLite: the
        // facts a few batches ahead, the others whole (they grow with customers, not orders),
        // so the report queries run in PostgreSQL while the fact indexes are being built.
        let reader = BackgroundCopy(connection: connection, statements: ExportTable.all.map { table in
            BackgroundCopy.Statement(
                copy: atBatch == nil ? table.source : table.sourceAtBatch ?? table.source, table: table,
                maximumQueued: table.readsAheadWhole ? Int.max : 4)
        })
        defer { reader.finish() }
        try database.transaction(.exclusive) {
            for table in ExportTable.all { try database.execute(sql: table.create) }
            try database.execute(sql: Self.exportInfoTable)
            for (position, table) in ExportTable.all.enumerated() {
                let started = clock.now
                for reference in table.references { try references.load(parent: reference.parent, from: database) }
                let rows = try insertRows(from: reader, position, of: table, into: database, references: &references)
                try throwIfBroken(references)
                for index in table.indexes {
                    try database.execute(sql: index)
                }
                let written = SQLiteExportSummary.Table(
                    name: table.name, rows: rows, inserted: rows, updated: 0, deleted: 0,
                    seconds: (clock.now - started).seconds)
                tables.append(written)
                progress(written)
            }
            try checkReportReferences(database, keys: references)
            try writeExportInfo(database, snapshot: snapshot, kind: .full, tables: tables)
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

    /// Streams one table from PostgreSQL into the empty SQLite table on this thread; returns its
    /// row count. (An incremental export's report tables; a full export uses ``insertRows``.)
    func copy(
        _ source: SQL, of table: ExportTable, into database: SQLiteDatabase, references: inout ReferenceCheck
    ) throws -> Int {
        let insert = try database.makeStatement(sql: table.insertSQL)
        var decoder = CopyTextDecoder()
        let parents = references.parentKeys(of: table)
        var rows = 0
        try connection.copyOut("copy (\(sql: source)) to stdout") { line in
            rows += 1
            try decoder.decode(line) { row in
                try table.bind(row, to: insert, rowNumber: rows)
                try table.checkReferences(row, rowNumber: rows, parents: parents, into: &references)
            }
            try insert.step()
            try insert.reset()
            try afterRow?(table.name, rows)
        }
        return rows
    }

    /// Inserts the rows `reader` receives for the statement at `position`; returns their count.
    func insertRows(
        from reader: BackgroundCopy, _ position: Int, of table: ExportTable, into database: SQLiteDatabase,
        references: inout ReferenceCheck
    ) throws -> Int {
        let insert = try database.makeStatement(sql: table.insertSQL)
        // Rows go in groups through one INSERT with a VALUES list per group: one statement run
        // per group instead of per row. The rest of a batch goes one row at a time.
        let group = Self.rowsPerInsert
        let insertGroup = try database.makeStatement(sql: table.insertSQL(rows: group))
        let width = insert.parameterCount
        let parents = references.parentKeys(of: table)
        // The SQLite parameter of each reference's column (a money column takes two).
        let parameters = table.references.map { reference in
            1 + table.columns[..<reference.column].reduce(0) { $0 + $1.width }
        }
        var rows = 0
        func check(_ batch: BackgroundCopy.Batch, _ row: Int) throws {
            for (position, reference) in table.references.enumerated() {
                guard let value = batch.rows.integer(row: row, parameter: parameters[position]) else {
                    throw ExportError.badValue(
                        table: table.name, row: batch.firstRowNumber + row,
                        column: table.columns[reference.column].name, "not a key")
                }
                if !parents[position].contains(value) {
                    references.noteMissing(
                        table: table.name, reference,
                        key: batch.rows.integer(row: row, parameter: 1) ?? Int64(batch.firstRowNumber + row))
                }
            }
        }
        // The rows' keys (first column), for the report tables' references to this one.
        var keys = KeySet()
        while let batch = try reader.next(of: position) {
            for row in 0..<batch.rows.count {
                if let key = batch.rows.integer(row: row, parameter: 1) { keys.insert(key) }
            }
            var row = 0
            while row < batch.rows.count {
                let statement = batch.rows.count - row >= group ? insertGroup : insert
                let count = statement === insertGroup ? group : 1
                for member in 0..<count {
                    try batch.rows.bind(row: row + member, to: statement, offset: member * width)
                    try check(batch, row + member)
                }
                try statement.step()
                try statement.reset()
                for _ in 0..<count {
                    rows += 1
                    try afterRow?(table.name, rows)
                }
                row += count
            }
            reader.recycle(batch)
        }
        references.record(keys, of: table.name)
        return rows
    }

    /// SQLite's page size for a new file: 16 KiB rather than the default 4. A quarter as many
    /// pages to fill, write and link, and shallower trees to sort into: a 5M full export took
    /// 6.38–6.43 s against 6.89–6.96 s with 4 KiB pages, side by side, the inserts and both
    /// index builds each a little faster; bringing the file up to date after a daily load took
    /// the same (3.9–4.1 s either way). A 5M file is a few MB smaller; a tiny one is larger (each
    /// table and index takes a page at least: the sample's application.db went from 0.2 to 0.4 MB).
    static let pageSize = 16384

    /// Rows per INSERT in a full export (``insertRows``).
    static let rowsPerInsert = 64

    func throwIfBroken(_ references: ReferenceCheck) throws {
        let problems = references.problems
        guard !problems.isEmpty else { return }
        throw ExportError.foreignKeyViolation(Self.brokenReferences(problems))
    }

    static func brokenReferences(_ lines: [String]) -> String {
        "the warehouse's references do not hold together:\n  " + lines.joined(separator: "\n  ")
            + "\n(run `warehouse status` to see the integrity check)"
    }
}
