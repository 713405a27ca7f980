extension ReportFormatter {
    /// `[{"rank": 1, "customer_name": "Alice", "total_value": 120.50, …}, …]`, one object per line.
    ///
    /// Written by hand rather than with JSONSerialization/JSONEncoder, which go through Double:
    /// `total_value` 12345678901234.10 must reach the reader as exactly that text. Keys keep the
    /// report's column order. Dates are strings; NULL is null.
    func json(columns: [ReportColumn], rows: [[String?]]) -> String {
        guard !rows.isEmpty else { return "[]\n" }
        let objects = rows.map { row in
            let members = zip(columns, row).map { column, value in
                Self.jsonString(column.name) + ": " + Self.jsonValue(value, type: column.type)
            }
            return "  {" + members.joined(separator: ", ") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    static func jsonValue(_ value: String?, type: ReportColumn.ValueType) -> String {
        guard let value else { return "null" }
        switch type {
        case .integer, .decimal:
            // PostgreSQL's text for integer and numeric is already a JSON number, except for
            // numeric's NaN/Infinity, which JSON cannot hold: those stay strings rather than lie.
            return isJSONNumber(value) ? value : jsonString(value)
        case .text, .date:
            return jsonString(value)
        }
    }

    /// RFC 8259 section 6 number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func isJSONNumber(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        func digits() -> Int {
            let count = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: "0") {
            bytes = bytes.dropFirst()
        } else if digits() == 0 {
            return false
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            if digits() == 0 { return false }
        }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            if digits() == 0 { return false }
        }
        return bytes.isEmpty
    }

    static func jsonString(_ text: String) -> String { JSONString.quote(text) }
}
