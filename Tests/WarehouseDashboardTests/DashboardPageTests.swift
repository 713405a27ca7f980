import Foundation
import Testing
import WarehouseKit
@testable import WarehouseServer
import WarehouseTestSupport

/// `GET /` over real HTTP and a real PostgreSQL holding ``DashboardFixture``.
@Suite("Dashboard: the page", .blockingWork)
struct DashboardPageTests {
    @Test("the page shows the headline figures, the last load and the three reports")
    func page() async throws {
        try await DashboardTestServer.with { server in
            let response = try await server.get("/?as_of=2023-12-10")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/html; charset=utf-8")
            let page = response.body
            #expect(page.contains("<h1>Orders dashboard</h1>"))
            #expect(page.contains("value=\"2023-12-10\""))
            // Headline: 7 orders (+250.0% on 2), 6 customers (+200.0% on 2), 1,547.56 (+203.4% on 510.00).
            #expect(card("orders", in: page).contains(">7<") && card("orders", in: page).contains("+250.0%"))
            #expect(card("customers", in: page).contains(">6<") && card("customers", in: page).contains("+200.0%"))
            #expect(card("revenue", in: page).contains("1,547.56") && card("revenue", in: page).contains("+203.4%"))
            #expect(card("revenue", in: page).contains("vs 510.00 in the previous 7 days"))
            #expect(card("last-load", in: page).contains("<b>10</b> read"))
            // The three reports, each with a chart, a table and a CSV link.
            for report in ["total-orders", "most-recent-order", "top-customers"] {
                #expect(page.contains("<section class=\"report\" id=\"\(report)\""))
                #expect(page.contains("href=\"/reports/\(report).csv"))
            }
            #expect(page.components(separatedBy: "<svg class=\"chart\"").count - 1 == 3)
            #expect(page.contains("Top customers by value, 2023-12-04 – 2023-12-10"))
            #expect(page.contains("<td class=\"num\">1,234.56</td>"))
            #expect(page.contains("href=\"/reports/top-customers.csv?as_of=2023-12-10&amp;days=7&amp;limit=all\""))
            #expect(!page.contains("The data may be out of date"))
        }
    }

    @Test("customer names are text everywhere: table, chart label, tooltip, aria label")
    func escaping() async throws {
        try await DashboardTestServer.with { server in
            let page = try await server.get("/?as_of=2023-12-10").body
            #expect(!page.contains("<script"))
            let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
            #expect(page.contains("<td class=\"name\">\(escaped)</td>"))
            #expect(page.contains("<title>\(escaped): 120.00</title>"))
            // The chart's label column holds 23 characters; the tooltip above has the whole name.
            #expect(page.contains(">&lt;script&gt;alert(1)&lt;/scri…</text>"))
            #expect(page.contains("<td class=\"name\">Zoë &quot;Quote&quot; &amp; Co</td>"))
            #expect(page.contains("<td class=\"name\">=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)</td>"))
        }
    }

    @Test("data older than the threshold is flagged, on the page and in the API")
    func stale() async throws {
        try await DashboardTestServer.with { server in
            #expect(try await server.get("/api/summary").body.contains("\"stale\": false"))
            try await server.ageLoads(hours: 48)
            let page = try await server.get("/?as_of=2023-12-10").body
            #expect(page.contains("<div class=\"alert stale\" role=\"alert\"><strong>The data may be out of date.</strong>"))
            #expect(page.contains("The last load finished 2 days ago"))
            #expect(page.contains("longer ago than the 36 hours this dashboard allows"))
            #expect(page.contains("<article class=\"card stale\" id=\"last-load\">"))
            #expect(try await server.get("/api/summary").body.contains("\"stale\": true"))
        }
        // The threshold is the operator's: 72 hours makes 48-hour-old data fresh.
        try await DashboardTestServer.with(staleAfterSeconds: 72 * 3_600) { server in
            try await server.ageLoads(hours: 48)
            #expect(!(try await server.get("/").body.contains("The data may be out of date")))
        }
    }

    @Test("the trend: orders and revenue for each of the last 30 and 90 days, from the facts")
    func trend() async throws {
        try await DashboardTestServer.with { server in
            let page = try await server.get("/?as_of=2023-12-10").body
            #expect(page.contains("<section class=\"trend\" id=\"trend\""))
            #expect(page.components(separatedBy: "<svg class=\"chart trend-chart\"").count - 1 == 2)
            #expect(page.components(separatedBy: "<rect class=\"day\"").count - 1 == 30 + 90)
            #expect(page.components(separatedBy: "<polyline class=\"revenue\"").count - 1 == 2)
            // Each day's exact figures, from the fixture's rows: 12-10 has order 2 only, 11-28 order
            // 8 (both charts), 12-11 is after the as-of day, 11-01 is a day without orders only
            // the 90 days reach.
            #expect(page.components(separatedBy: "<title>2023-12-10: 1 order, revenue 25.50</title>").count - 1 == 2)
            #expect(page.components(separatedBy: "<title>2023-11-28: 1 order, revenue 10.00</title>").count - 1 == 2)
            #expect(!page.contains("2023-12-11: "))
            #expect(page.components(separatedBy: "<title>2023-11-01: 0 orders, revenue 0.00</title>").count - 1 == 1)
            #expect(page.contains("aria-label=\"Orders and revenue per day, 2023-11-11 – 2023-12-10 (30 days)\""))
            #expect(page.contains("aria-label=\"Orders and revenue per day, 2023-09-12 – 2023-12-10 (90 days)\""))
        }
    }

    @Test("with no as_of, the page opens on the latest data when the window to today is empty, and says so")
    func opensOnLatestData() async throws {
        try await DashboardTestServer.with { server in
            let status = try await server.server.data.status()
            // The fixture's newest order is from 2023-12-11: any real today is weeks after it.
            try #require(status.today > CivilDate(iso: "2023-12-17")!)
            let page = try await server.get("/").body
            #expect(page.contains("value=\"2023-12-11\""))
            #expect(page.contains("<p class=\"note\" id=\"latest-data\">No orders in the 7 days to today (\(status.today)): showing the latest data, which ends on 2023-12-11.</p>"))
            #expect(page.contains("Top customers by value, 2023-12-05 – 2023-12-11"))
            // A day named in the URL is shown as asked, even when empty.
            let asked = try await server.get("/?as_of=2024-06-01").body
            #expect(asked.contains("value=\"2024-06-01\"") && !asked.contains("id=\"latest-data\""))
        }
    }

    @Test("the default as-of: today while the window to today has an order, else the latest order's day")
    func defaultAsOf() throws {
        func status(today: String, latest: String?) -> WarehouseStatus {
            WarehouseStatus(today: CivilDate(iso: today)!, lastSuccess: nil, lastConfirmation: nil, failureSinceConfirmation: nil,
                            latestOrderDate: latest, staleAfterSeconds: 3_600)
        }
        func resolved(_ today: String, _ latest: String?, days: Int = 7) -> String {
            let (date, isLatest) = DashboardData.defaultAsOf(days: days, status: status(today: today, latest: latest))
            return "\(date)\(isLatest ? " latest" : "")"
        }
        #expect(resolved("2023-12-10", "2023-12-04") == "2023-12-10")           // 12-04 is the window's first day
        #expect(resolved("2023-12-10", "2023-12-03") == "2023-12-03 latest")
        #expect(resolved("2023-12-10", "2023-12-03", days: 8) == "2023-12-10")
        #expect(resolved("2023-12-10", "2024-01-01") == "2023-12-10")           // future-dated orders: today
        #expect(resolved("2023-12-10", nil) == "2023-12-10")                    // nothing loaded
        #expect(resolved("2023-12-10", "2023-12-09", days: 1) == "2023-12-09 latest")
    }

    @Test("an empty warehouse shows what to do, not an error")
    func empty() async throws {
        try await DashboardTestServer.with(orders: nil) { server in
            let response = try await server.get("/")
            #expect(response.status == 200)
            #expect(response.body.contains("No load has succeeded yet."))
            #expect(response.body.contains("No orders loaded yet."))
        }
    }

    @Test("an empty window points at the newest order's day")
    func emptyWindow() async throws {
        try await DashboardTestServer.with { server in
            let page = try await server.get("/?as_of=2024-06-01").body
            #expect(page.contains("No orders between 2024-05-26 and 2024-06-01."))
            #expect(page.contains("href=\"/?as_of=2023-12-11&amp;days=7&amp;limit=10\""))
        }
    }

    @Test("bad parameters are refused with 400 before any query", arguments: [
        "/?as_of=2023-02-30", "/?as_of=yesterday", "/?days=0", "/?days=seven", "/?limit=101", "/?limit=all",
    ])
    func badParameters(_ target: String) async throws {
        try await DashboardTestServer.with(orders: nil) { server in
            let response = try await server.get(target)
            #expect(response.status == 400)
            #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        }
    }

    /// The markup of the headline card with `id`.
    func card(_ id: String, in page: String) -> String {
        guard let start = page.range(of: "id=\"\(id)\"") else { return "" }
        let rest = page[start.upperBound...]
        return String(rest[..<(rest.range(of: "</article>")?.lowerBound ?? rest.endIndex)])
    }
}
