import Foundation

/// Makes a table the loader recomputes (the day and block leader lists and their bounds, whole;
/// the report rows of the customers a snapshot touched, within a ``scope``) hold exactly the given
/// rows, by deleting the rows no longer wanted and inserting the new ones: the rows that did not
/// change are left alone. Runs inside the load's transaction.
///
/// Why: a full snapshot changes a few percent of these lists (2% of the day leaders and 7% of the
/// block leaders at 1M orders; about half of its touched customers' latest orders), and rewriting
/// every row was the largest cost of a daily merge that does not grow with the file — each row
/// deleted, inserted again and, under a primary key, checked against its deleted twin. Reading the
/// current rows back costs a fraction of that.
///
/// Rows are compared as COPY text lines, so `readExpressions` must print each column the way the
/// loader writes it. A row printed differently is only rewritten, never lost or doubled: every
/// current row not matched by a new line is deleted by its tuple id, so the result is exact
/// either way.
struct TableRewrite {
    /// Schema-qualified table name, written by the program (never input text).
    let table: String
    /// The columns in COPY order.
    let columns: [String]
    /// How each column is read back, in the loader's text (a date as YYYY-MM-DD whatever the
    /// session's DateStyle).
    let readExpressions: [String]
    /// A condition (the program's own SQL) that limits the rewrite to part of the table: rows
    /// outside it are left alone, and every new row must lie inside it. Nil: the whole table.
    var scope: String?

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
        // Other writers wait until the load commits (readers do not), so the rows read here are
        // still where they were read when the unwanted ones are deleted by their tuple id.
        try connection.execute(SQL(unsafeRaw: "lock table \(table) in exclusive mode"))
        // The current rows' text, one after the other, where each row starts in it, and its tuple id.
        let currentText = ByteBuffer(capacity: 1 << 16)
        var starts: [UInt32] = []
        var tuples: [TupleID] = []
        let filter = scope.map { " where " + $0 } ?? ""
        try connection.copyOut(SQL(unsafeRaw: "copy (select ctid, \(readExpressions.joined(separator: ", ")) from \(table)\(filter)) to stdout")) { line in
            guard let tab = line.firstIndex(of: 0x09), let tuple = TupleID(UnsafeRawBufferPointer(rebasing: line[..<tab])) else {
                throw PostgresError(.copy, message: "\(table): a row's tuple id was not (block,offset)", query: nil)
            }
            starts.append(UInt32(currentText.count))
            tuples.append(tuple)
            currentText.append(UnsafeRawBufferPointer(rebasing: line[(tab + 1)...]))
        }
        // Rows that print alike are chained (a table may hold the same row twice); each new line
        // takes the first row of its chain that is left.
        let text = currentText.bytes
        var firstOfText: [Line: Int32] = [:]
        firstOfText.reserveCapacity(starts.count)
        var next = [Int32](repeating: -1, count: starts.count)
        for index in starts.indices.reversed() {
            let end = index + 1 < starts.count ? Int(starts[index + 1]) : text.count
            let line = Line(bytes: UnsafeRawBufferPointer(rebasing: text[Int(starts[index])..<end]))
            if let following = firstOfText.updateValue(Int32(index), forKey: line) { next[index] = following }
        }
        var kept = [Bool](repeating: false, count: starts.count)
        var outcome = Outcome()
        // The new lines to insert, as places in `rows` (not copies: at 5M orders these tables'
        // rows are megabytes, and the load's peak memory is near its end).
        var added: [(start: UInt32, count: UInt32)] = []
        let base = rows.bytes.baseAddress
        Self.forEachLine(of: rows.bytes) { line in
            let key = Line(bytes: line)
            if let index = firstOfText[key] {
                kept[Int(index)] = true
                firstOfText[key] = next[Int(index)] >= 0 ? next[Int(index)] : nil
                outcome.kept += 1
            } else {
                added.append((UInt32(base!.distance(to: line.baseAddress!)), UInt32(line.count)))
                outcome.inserted += 1
            }
        }
        // The keys point into currentText: it must outlive the lookups above.
        withExtendedLifetime(currentText) {}
        let gone = tuples.indices.filter { !kept[$0] }.map { tuples[$0] }
        outcome.deleted = gone.count
        if !gone.isEmpty {
            let literal = "{" + gone.map { "\"(\($0.block),\($0.offset))\"" }.joined(separator: ",") + "}"
            try connection.execute("delete from \(unsafeRaw: table) where ctid = any(\(literal)::tid[])")
        }
        if !added.isEmpty {
            try connection.copyIn(SQL(unsafeRaw: "copy \(table) (\(columns.joined(separator: ", "))) from stdin")) { writer in
                for line in added { try writer.write(UnsafeRawBufferPointer(rebasing: rows.bytes[Int(line.start)..<Int(line.start + line.count)])) }
            }
        }
        return outcome
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

    /// A row's tuple id (`ctid`), read as its text `(block,offset)`.
    struct TupleID {
        var block: UInt32
        var offset: UInt16

        init?(_ text: UnsafeRawBufferPointer) {
            guard text.count >= 5, text.first == UInt8(ascii: "("), text.last == UInt8(ascii: ")"),
                  let comma = text.firstIndex(of: UInt8(ascii: ",")) else { return nil }
            var block: UInt64 = 0
            var offset: UInt64 = 0
            for byte in text[1..<comma] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                block = block * 10 + UInt64(byte - 0x30)
            }
            for byte in text[(comma + 1)..<(text.count - 1)] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                offset = offset * 10 + UInt64(byte - 0x30)
            }
            guard block <= UInt64(UInt32.max), offset <= UInt64(UInt16.max) else { return nil }
            self.block = UInt32(block)
            self.offset = UInt16(offset)
        }
    }

    /// A line of COPY text in a buffer that no longer changes, hashed and compared by its bytes.
    private struct Line: Hashable {
        let bytes: UnsafeRawBufferPointer

        func hash(into hasher: inout Hasher) { hasher.combine(bytes: bytes) }

        static func == (left: Line, right: Line) -> Bool {
            left.bytes.count == right.bytes.count
                && (left.bytes.count == 0 || memcmp(left.bytes.baseAddress!, right.bytes.baseAddress!, left.bytes.count) == 0)
        }
    }
}
