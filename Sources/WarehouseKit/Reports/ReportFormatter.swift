/// The output formats of `warehouse report`.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// For people: a title stating the window, aligned columns, a row count, and a message when empty.
    case table
    /// RFC 4180: a header line, CRLF line ends, fields quoted only when they must be. Values are
    /// written raw (no spreadsheet-formula neutralising; the dashboard does that where it needs to).
    case csv
    /// An array of objects keyed by column name; integers and decimals are JSON numbers written
    /// from PostgreSQL's text exactly, never through a binary floating point.
    case json
}

/// Renders a ``ReportResult`` as text. Pure: no database, no I/O, so every format is unit-tested.
public struct ReportFormatter: Sendable {
    public let format: ReportFormat

    public init(format: ReportFormat) {
        self.format = format
    }

    /// The whole output, ending with a newline.
    public func render(_ result: ReportResult) -> String {
        switch format {
        case .table:
            return table(title: result.title, columns: result.columns, rows: result.rows, footer: footer(result),
                         emptyMessage: result.emptyMessage)
        case .csv: return csv(columns: result.columns, rows: result.rows)
        case .json: return json(columns: result.columns, rows: result.rows)
        }
    }

    /// Any other table in the reports' formats (`warehouse history`).
    public func render(title: String, columns: [ReportColumn], rows: [[String?]], emptyMessage: String) -> String {
        switch format {
        case .table:
            return table(title: title, columns: columns, rows: rows, footer: "(\(rows.count) \(rows.count == 1 ? "row" : "rows"))",
                         emptyMessage: emptyMessage)
        case .csv: return csv(columns: columns, rows: rows)
        case .json: return json(columns: columns, rows: rows)
        }
    }

    /// Whether the output already tells the reader the result is empty. Machine formats must stay
    /// parseable, so for them the caller prints ``ReportResult/emptyMessage`` on standard error.
    public func includesEmptyMessage(_ result: ReportResult) -> Bool {
        format == .table && result.rows.isEmpty
    }
}
