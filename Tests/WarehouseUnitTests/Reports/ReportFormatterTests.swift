import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

@Suite("Report: formatter (table, csv, json)", .blockingWork)
struct ReportFormatterTests {
    static let window = ReportWindow(start: "2023-12-04", end: "2023-12-10", days: 7)
    static let top = ReportResult(
        kind: .topCustomers, columns: ReportKind.topCustomers.columns,
        rows: [["1", "Zoë, \"the\" Boss", "12345678901234.10", "12"], ["2", "Al", "0.50", "1"]],
        window: window)

    @Test("table: title with the window, psql-style grid, numbers right-aligned, row count")
    func table() {
        let text = ReportFormatter(format: .table).render(Self.top)
        #expect(text == """
            Top customers by value, 2023-12-04 .. 2023-12-10 (7 days)

             rank | customer_name   | total_value       | order_count
            ------+-----------------+-------------------+-------------
                1 | Zoë, "the" Boss | 12345678901234.10 |          12
                2 | Al              |              0.50 |           1
            (2 rows)

            """)
    }

    @Test("table: an empty window shows the header, (0 rows) and a message")
    func emptyTable() {
        let empty = ReportResult(kind: .topCustomers, columns: ReportKind.topCustomers.columns, rows: [], window: Self.window)
        let formatter = ReportFormatter(format: .table)
        let text = formatter.render(empty)
        #expect(text.hasPrefix("Top customers by value, 2023-12-04 .. 2023-12-10 (7 days)\n"))
        #expect(text.hasSuffix("(0 rows)\nNo orders between 2023-12-04 and 2023-12-10.\n"))
        #expect(formatter.includesEmptyMessage(empty))
        #expect(!ReportFormatter(format: .json).includesEmptyMessage(empty))
        #expect(ReportFormatter(format: .json).render(empty) == "[]\n")
        #expect(ReportFormatter(format: .csv).render(empty) == "rank,customer_name,total_value,order_count\r\n")
    }

    @Test("table: the footer says when the limit cut rows, and when it split a tie")
    func truncatedFooter() {
        let cut = ReportResult(kind: .topCustomers, columns: ReportKind.topCustomers.columns,
                               rows: [["1", "Al", "5.00", "1"]], window: Self.window, isTruncated: true, limitSplitsTie: true)
        let text = ReportFormatter(format: .table).render(cut)
        #expect(text.hasSuffix("(1 row; more exist, raise --limit or use --limit all; customers beyond the limit share rank 1)\n"))
    }

    @Test("csv: RFC 4180 quoting, CRLF, NULL empty and empty string quoted, formulas left raw")
    func csv() {
        let result = ReportResult(
            kind: .mostRecentOrder, columns: ReportKind.mostRecentOrder.columns,
            rows: [["Smith, \"Jr\"", "1", "2023-12-10", "lounge", "10.00", "2"],
                   ["line\nbreak", "2", "2023-12-09", "", "0.00", nil],
                   ["=SUM(A1)", "3", "2023-12-08", "parking", "1.50", "1"]],
            window: nil)
        let text = ReportFormatter(format: .csv).render(result)
        #expect(text == "customer_name,order_id,order_date,product_id,price,passenger_count\r\n"
            + "\"Smith, \"\"Jr\"\"\",1,2023-12-10,lounge,10.00,2\r\n"
            + "\"line\nbreak\",2,2023-12-09,\"\",0.00,\r\n"
            + "=SUM(A1),3,2023-12-08,parking,1.50,1\r\n")
        // And it reads back as written.
        #expect(CSVRecords.parse(text)[1] == ["Smith, \"Jr\"", "1", "2023-12-10", "lounge", "10.00", "2"])
    }

    @Test("json: an array of objects in column order, decimals copied from the text exactly")
    func json() throws {
        let text = ReportFormatter(format: .json).render(Self.top)
        #expect(text == """
            [
              {"rank": 1, "customer_name": "Zoë, \\"the\\" Boss", "total_value": 12345678901234.10, "order_count": 12},
              {"rank": 2, "customer_name": "Al", "total_value": 0.50, "order_count": 1}
            ]

            """)
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]]
        #expect(parsed?.count == 2)
        #expect(parsed?.first?["customer_name"] as? String == "Zoë, \"the\" Boss")
    }

    @Test("json: control characters escaped, NULL is null, NaN stays a string, dates are strings")
    func jsonValues() throws {
        #expect(ReportFormatter.jsonString("a\\b\u{01}\t\u{7F}é") == "\"a\\\\b\\u0001\\t\u{7F}é\"")
        #expect(ReportFormatter.jsonValue(nil, type: .decimal) == "null")
        #expect(ReportFormatter.jsonValue("NaN", type: .decimal) == "\"NaN\"")
        #expect(ReportFormatter.jsonValue("2023-12-10", type: .date) == "\"2023-12-10\"")
        #expect(ReportFormatter.jsonValue("-0.01", type: .decimal) == "-0.01")
        for good in ["0", "-0", "10", "0.50", "123.456", "1e5", "1.5E-3"] { #expect(ReportFormatter.isJSONNumber(good), "\(good)") }
        for bad in ["", "-", "01", ".5", "5.", "1e", "Infinity", "NaN", "1,5", " 1"] { #expect(!ReportFormatter.isJSONNumber(bad), "\(bad)") }
    }
}
