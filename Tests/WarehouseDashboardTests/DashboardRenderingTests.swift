import Testing
import WarehouseKit
@testable import WarehouseServer
import WarehouseTestSupport

/// The pure parts: escaping, numbers, the chart, CSV neutralising, parameters, durations.
@Suite("Dashboard: rendering and parsing", .blockingWork)
struct DashboardRenderingTests {
    @Test("HTML escaping covers text and both attribute quotes")
    func htmlEscaping() {
        #expect(HTMLEscaping.escape(#"<a href="x" title='y'>&</a>"#)
            == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
        #expect(HTMLEscaping.escape("Zoë Åberg") == "Zoë Åberg")
    }

    @Test("numbers: grouped integers, two-decimal money rounded half up, signed percentages")
    func numbers() {
        #expect(DisplayNumber.integer("1234567") == "1,234,567")
        #expect(DisplayNumber.integer("-1000") == "-1,000")
        #expect(DisplayNumber.integer("0") == "0")
        #expect(DisplayNumber.decimal("1234.5") == "1,234.50")
        #expect(DisplayNumber.decimal("12345678901234.10") == "12,345,678,901,234.10")
        #expect(DisplayNumber.decimal("0.005") == "0.01")
        #expect(DisplayNumber.decimal("9.995") == "10.00")
        #expect(DisplayNumber.decimal("-2.5") == "-2.50")
        #expect(DisplayNumber.decimal("7") == "7.00")
        #expect(DisplayNumber.decimal("NaN") == "NaN")
        #expect(DisplayNumber.percentChange(current: "7", previous: "2") == "+250.0%")
        #expect(DisplayNumber.percentChange(current: "1", previous: "2") == "-50.0%")
        #expect(DisplayNumber.percentChange(current: "3", previous: "3") == "±0.0%")
        #expect(DisplayNumber.percentChange(current: "3", previous: "0") == nil)
    }

    @Test("the chart escapes names in text, tooltip and aria label, and shortens long ones")
    func chart() {
        let chart = BarChartSVG(title: "Top <b>", valueCaption: "Value", bars: [
            .init(label: "<script>alert(1)</script>", value: 10, valueText: "10.00"),
            .init(label: "A name far too long to fit the label column at all", value: 0, valueText: "0.00"),
        ])
        let svg = chart.render()
        #expect(!svg.contains("<script") && !svg.contains("<b>"))
        #expect(svg.contains("aria-label=\"Top &lt;b&gt;\""))
        #expect(svg.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;: 10.00</title>"))
        #expect(svg.contains(">A name far too long to…</text>"))
        #expect(svg.contains("width=\"1\""))  // a zero still draws a hairline
        #expect(BarChartSVG(title: "t", valueCaption: "v", bars: []).render() == "")
    }

    @Test("CSV: formula triggers in text cells get a quote; numbers, dates and other text do not")
    func csvNeutralising() {
        for trigger in ["=1+1", "+1", "-Minus", "@SUM(A1)", "\tx", "\rx"] {
            #expect(CSVExport.neutralise(trigger) == "'" + trigger)
        }
        #expect(CSVExport.neutralise("Ann") == "Ann")
        #expect(CSVExport.neutralise("") == "")
        let result = ReportResult(
            kind: .topCustomers,
            columns: [.init("rank", .integer), .init("customer_name", .text), .init("total_value", .decimal),
                      .init("order_count", .integer)],
            rows: [["1", "=HYPERLINK(\"x\")", "-5.00", "-1"], ["2", nil, "3.00", "1"]],
            window: ReportWindow(start: "2023-12-04", end: "2023-12-10", days: 7))
        #expect(CSVExport.render(result) == "rank,customer_name,total_value,order_count\r\n1,\"'=HYPERLINK(\"\"x\"\")\",-5.00,-1\r\n2,,3.00,1\r\n")
        #expect(CSVExport.fileName(for: result) == "top-customers_2023-12-10_7d.csv")
    }

    @Test("parameters: defaults, ranges, 'all' only where allowed")
    func parameters() throws {
        func parse(_ items: [(String, String)], allowAll: Bool = false) throws -> DashboardParameters {
            try DashboardParameters(values: Dictionary(uniqueKeysWithValues: items), allowAll: allowAll, defaultLimit: .rows(10))
        }
        let defaults = try parse([])
        #expect(defaults.asOf == nil && defaults.days == 7 && defaults.limit == .rows(10))
        #expect(try parse([("as_of", "")]).asOf == nil)  // a cleared date field
        let given = try parse([("as_of", "2024-02-29"), ("days", "28"), ("limit", "5")])
        #expect(given.asOf?.description == "2024-02-29" && given.days == 28 && given.limit == .rows(5))
        #expect(try parse([("limit", "all")], allowAll: true).limit == .all)
        for bad in [("as_of", "2023-02-29"), ("as_of", "2023-12-10'"), ("days", "0"), ("days", "36526"),
                    ("limit", "0"), ("limit", "101"), ("limit", "all")] {
            #expect(throws: DashboardParameters.Invalid.self) { try parse([bad]) }
        }
    }

    @Test("--stale-after durations")
    func staleAfter() {
        #expect(StaleThreshold.seconds("36h") == 129_600)
        #expect(StaleThreshold.seconds("36") == 129_600)
        #expect(StaleThreshold.seconds("2d") == 172_800)
        #expect(StaleThreshold.seconds("90m") == 5_400)
        #expect(StaleThreshold.seconds("1.5h") == 5_400)
        for bad in ["0", "-1h", "h", "soon", ""] { #expect(StaleThreshold.seconds(bad) == nil) }
    }

    @Test("load ages read naturally")
    func ages() {
        #expect(LoadRecord.ageText(seconds: 5) == "just now")
        #expect(LoadRecord.ageText(seconds: 60) == "1 minute ago")
        #expect(LoadRecord.ageText(seconds: 3 * 3_600 + 5) == "3 hours ago")
        #expect(LoadRecord.ageText(seconds: 50 * 3_600) == "2 days ago")
    }
}
