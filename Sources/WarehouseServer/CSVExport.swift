import WarehouseKit

/// A report as a CSV download that is safe to open in a spreadsheet.
///
/// A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel, LibreOffice
/// and Google Sheets as a formula ("CSV injection"); a customer named `=HYPERLINK(…)` could then
/// run as one on the analyst's machine. Such cells in **text** columns get a leading `'`, which the
/// spreadsheet shows as plain text. Numeric and date columns are left alone: a negative number is
/// not a customer string, and quoting it would turn it into text.
/// See https://owasp.org/www-community/attacks/CSV_Injection
/// The RFC 4180 layout itself (quoting, CRLF) is ``ReportFormatter``'s, shared with the CLI.
enum CSVExport {
    static let formulaTriggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\r\n"]

    /// The CSV body of `result`, text cells neutralised.
    static func render(_ result: ReportResult) -> String {
        let textColumns = result.columns.map { $0.type == .text }
        let rows = result.rows.map { row in
            zip(row, textColumns).map { value, isText in isText ? value.map(neutralise) : value }
        }
        let safe = ReportResult(kind: result.kind, columns: result.columns, rows: rows, window: result.window,
                                isTruncated: result.isTruncated, limitSplitsTie: result.limitSplitsTie)
        return ReportFormatter(format: .csv).render(safe)
    }

    /// `=1+1` -> `'=1+1`; anything else unchanged.
    static func neutralise(_ value: String) -> String {
        guard let first = value.first, formulaTriggers.contains(first) else { return value }
        return "'" + value
    }

    /// A file name for the download, e.g. `top-customers_2023-12-10_7d.csv`; built only from
    /// validated parts (a report name, a checked date, a number), so it needs no quoting.
    static func fileName(for result: ReportResult) -> String {
        guard let window = result.window else { return "\(result.kind.rawValue).csv" }
        return "\(result.kind.rawValue)_\(window.end)_\(window.days)d.csv"
    }
}
