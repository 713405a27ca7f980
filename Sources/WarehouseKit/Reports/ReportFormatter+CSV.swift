import Foundation

extension ReportFormatter {
    /// RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): header line, CRLF after every record, a
    /// field quoted when it holds a comma, a quote, CR or LF, inner quotes doubled. Like
    /// `psql --csv`, NULL is an empty field and an empty string is `""`, so the two stay distinct.
    func csv(columns: [ReportColumn], rows: [[String?]]) -> String {
        var lines = [columns.map { Self.csvField($0.name) }.joined(separator: ",")]
        for row in rows {
            lines.append(row.map { $0.map(Self.csvField) ?? "" }.joined(separator: ","))
        }
        return lines.map { $0 + "\r\n" }.joined()
    }

    static func csvField(_ value: String) -> String {
        let mustQuote = value.isEmpty || value.contains { $0 == "," || $0 == "\"" || $0.isNewline }
        guard mustQuote else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
