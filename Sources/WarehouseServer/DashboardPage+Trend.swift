import WarehouseKit

/// The trend: orders and revenue per day over the last 30 and 90 days to the as-of date, and the
/// note shown when the page opened on the latest data rather than on today.
extension DashboardPage {
    /// Days each trend chart covers, shortest first.
    static let trendWindows = [30, 90]

    var trendSection: String {
        guard !trend.isEmpty else { return "" }
        let charts = Self.trendWindows.map { days in
            "<div>\(TrendChartSVG(days: Array(trend.suffix(days))).render())</div>"
        }
        return """
            <section class="trend" id="trend" aria-labelledby="trend-title">
            <header><div><h2 id="trend-title">Orders and revenue per day</h2>
            <p class="about">The last \(Self.trendWindows.map(String.init).joined(separator: " and ")) days to \
            \(asOf.description.html): bars are orders, the line is revenue (its own scale). Hover a day for its figures.</p></div></header>
            <div class="body">\(charts.joined())</div>
            </section>
            """
    }

    var latestDataNote: String {
        guard openedOnLatestData else { return "" }
        return """
            <p class="note" id="latest-data">No orders in the \(parameters.days == 1 ? "day" : "\(parameters.days) days") \
            to today (\(status.today.description.html)): showing the latest data, which ends on \
            \(asOf.description.html).</p>
            """
    }
}
