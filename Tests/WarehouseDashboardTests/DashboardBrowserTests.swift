import Foundation
import Testing
import WarehouseTestSupport

/// The dashboard in a real browser: headless Chromium loads the page from a server in this
/// process (fixture data in a fresh PostgreSQL database), the rendered DOM is checked for the
/// names and numbers, and screenshots are kept in `.build/test-artifacts/` for a person to look at.
///
/// Chromium missing is a failure that says how to install it, never a silent pass; set
/// `WAREHOUSE_SKIP_BROWSER_TESTS=1` to report the test as skipped instead.
@Suite("Dashboard: in headless Chromium", .blockingWork)
struct DashboardBrowserTests {
    static let isSkipped = ProcessInfo.processInfo.environment["WAREHOUSE_SKIP_BROWSER_TESTS"] == "1"

    /// `<package>/.build/test-artifacts`, found from this file's path.
    static let artifacts = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/test-artifacts", isDirectory: true)

    @Test("Chromium renders the page: names, numbers and warnings in the DOM; screenshots kept",
          .enabled(if: !isSkipped, "WAREHOUSE_SKIP_BROWSER_TESTS=1 is set"))
    func rendersInChromium() async throws {
        guard let chromium = HeadlessChromium.find() else {
            Issue.record("""
                Chromium is not installed, so the dashboard cannot be checked in a browser. \
                Run `scripts/install-deps.sh --browser` (Debian: apt-get install chromium), \
                or set WAREHOUSE_SKIP_BROWSER_TESTS=1 to skip this test.
                """)
            return
        }
        try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
        try await DashboardTestServer.with { server in
            let url = server.url + "?as_of=\(DashboardFixture.asOf)"
            let dom = try await chromium.dumpDOM(url)
            #expect(dom.contains("<h1>Orders dashboard</h1>"), "not the dashboard: \(dom.prefix(500))")
            // Headline figures.
            #expect(dom.contains("<p class=\"figure\">7</p>"))
            #expect(dom.contains("<p class=\"figure\">1,547.56</p>"))
            #expect(dom.contains("+250.0%") && dom.contains("+203.4%"))
            // Tables: names with their numbers, money with two decimals.
            #expect(dom.contains("<td class=\"name\">-Minus Customer</td><td class=\"num\">1,234.56</td>"))
            #expect(dom.contains("<td class=\"name\">Ann Example</td><td class=\"num\">75.50</td>"))
            // The <script> customer is text in the rendered document; no script element exists.
            #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!dom.contains("<script"))
            // Three charts drawn.
            #expect(dom.components(separatedBy: "<rect class=\"bar\"").count - 1 == 8 + 8 + 6)  // every customer, every customer, the window's six
            #expect(!dom.contains("The data may be out of date"))
            // The trend: a bar per day for 30 and for 90 days, and a revenue line on each.
            #expect(dom.components(separatedBy: "<rect class=\"day\"").count - 1 == 30 + 90)
            #expect(dom.components(separatedBy: "<polyline class=\"revenue\"").count - 1 == 2)

            let screenshot = Self.artifacts.appendingPathComponent("dashboard.png")
            try await chromium.screenshot(url, to: screenshot.path)
            let size = (try FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int) ?? 0
            #expect(size > 20_000, "the screenshot is suspiciously small (\(size) bytes)")
            print("dashboard screenshot: \(screenshot.path)")

            try await server.ageLoads(hours: 60)
            let stale = try await chromium.dumpDOM(url)
            #expect(stale.contains("<strong>The data may be out of date.</strong>"))
            let staleShot = Self.artifacts.appendingPathComponent("dashboard-stale.png")
            try await chromium.screenshot(url, to: staleShot.path)
            print("dashboard screenshot (stale data): \(staleShot.path)")
        }
    }
}
