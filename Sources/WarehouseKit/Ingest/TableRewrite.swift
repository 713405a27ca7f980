import Foundation

/// Makes a table the loader recomputes whole (the day and block leader lists and their bounds)
/// hold exactly the given rows, by deleting the rows no longer wanted and inserting the new ones:
/// the rows that did not change are left alone.
///
/// Why: a full snapshot changes a few percent of these lists (2% of the day leaders and 7% of the
/// block leaders at 1M orders), and rewriting every row was the largest cost of a daily merge that
/// does not grow with the file — each row deleted, inserted again and, under a primary key,
/// checked against its deleted twin. Reading the current rows back costs a fraction of that.
///
/// Rows are compared as COPY text lines, so `readExpressions` must print each column the way the
/// loader writes it. A row printed differently is only rewritten, never lost or doubled: the rows
/// to delete are matched by value on the server, column by column, so the result is exact either
/// way. The columns must never be null (a null never matches, and its row would stay).
struct TableRewrite {
    /// Schema-qualified table name, written by the program (never input text).
    let table: String
    /// The columns in COPY order.
    let columns: [String]
    /// How each column is read back, in the loader's text (a date as YYYY-MM-DD whatever the
    /// session's DateStyle); the column's type must read that text back as the same value.
    let readExpressions: [String]

    struct Outcome: Equatable {
        var kept = 0
        var deleted = 0
        var inserted = 0
    }

    /// - Parameter rows: the table's new contents in COPY text format, one line per row, each
    ///   ending in a newline.
    /// - Throws: ``PostgresError``.
    @discardableResult
    func replace(with rows: ByteBuffer, on connection: PostgresConnection) throws -> Outcome {
        precondition(columns.count == readExpressions.count, "one read expression per column")
        var current = Set<[UInt8]>()
        try connection.copyOut(SQL(unsafeRaw: "copy (select \(readExpressions.joined(separator: ", ")) from \(table)) to stdout")) {
            current.insert(Array($0))
        }
        var outcome = Outcome()
        let added = ByteBuffer(capacity: 1 << 12)
        Self.forEachLine(of: rows.bytes) { line in
            if current.remove(Array(line)) != nil {
                outcome.kept += 1
            } else {
                added.append(line)
                outcome.inserted += 1
            }
        }
        outcome.deleted = current.count
        if !current.isEmpty { try delete(current, on: connection) }
        if !added.isEmpty {
            try connection.copyIn(SQL(unsafeRaw: "copy \(table) (\(columns.joined(separator: ", "))) from stdin")) { writer in
                try writer.write(added.bytes)
            }
        }
        return outcome
    }

    /// Deletes the rows whose values are these lines': they land in a temporary table of the
    /// same column types and are matched by value.
    private func delete(_ lines: Set<[UInt8]>, on connection: PostgresConnection) throws {
        let gone = "load_gone_" + (table.split(separator: ".").last.map(String.init) ?? table)
        let list = columns.joined(separator: ", ")
        try connection.execute(SQL(unsafeRaw: "drop table if exists pg_temp.\(gone)"))
        try connection.execute(SQL(unsafeRaw: "create temp table \(gone) as select \(list) from \(table) with no data"))
        try connection.copyIn(SQL(unsafeRaw: "copy \(gone) (\(list)) from stdin")) { writer in
            for line in lines {
                writer.pending.append(contentsOf: line)
                try writer.flushIfNeeded()
            }
        }
        let match = columns.map { "t.\($0) = g.\($0)" }.joined(separator: " and ")
        try connection.execute(SQL(unsafeRaw: "analyze \(gone)"))
        try connection.execute(SQL(unsafeRaw: "delete from \(table) as t using \(gone) as g where \(match)"))
        try connection.execute(SQL(unsafeRaw: "drop table \(gone)"))
    }

    /// Calls `body` with each line of `bytes`, its newline included.
    static func forEachLine(of bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        guard let base = bytes.baseAddress else { return }
        var start = 0
        while start < bytes.count {
            let rest = bytes.count - start
            let end: Int
            if let newline = memchr(base + start, 0x0A, rest) {
                end = base.distance(to: UnsafeRawPointer(newline)) + 1
            } else {
                end = bytes.count
            }
            body(UnsafeRawBufferPointer(start: base + start, count: end - start))
            start = end
        }
    }
}
