import WarehouseKit

/// Orders (bars) and revenue (a line, on its own scale) for each day of a window, drawn as inline
/// SVG on the server like the report charts: no script, nothing fetched, every text escaped.
///
/// Each day's bar carries a `<title>` with its exact figures, so hovering (or a screen reader)
/// gives the numbers the drawing only suggests.
struct TrendChartSVG {
    let days: [DailyTotalsStore.Day]

    static let width = 520.0
    static let height = 200.0
    static let left = 48.0
    static let right = 72.0
    static let top = 26.0
    static let bottom = 22.0

    var title: String {
        guard let first = days.first, let last = days.last else { return "Orders and revenue per day" }
        return "Orders and revenue per day, \(first.date) – \(last.date) (\(days.count) days)"
    }

    func render() -> String {
        guard let first = days.first, let last = days.last else { return "" }
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        let baseline = Self.top + plotHeight
        let mostOrders = days.map(\.orders).max() ?? 0
        let revenues = days.map { Double($0.revenue) ?? 0 }
        let mostRevenue = revenues.max() ?? 0
        let slot = plotWidth / Double(days.count)
        let barWidth = max(1, slot * 0.7)
        let number = BarChartSVG.number
        let largestRevenueText = revenues.indices.max { revenues[$0] < revenues[$1] }.map { days[$0].revenue } ?? "0"

        var svg = """
            <svg class="chart trend-chart" viewBox="0 0 \(number(Self.width)) \(number(Self.height))" \
            width="\(number(Self.width))" height="\(number(Self.height))" role="img" aria-label="\(title.html)" \
            xmlns="http://www.w3.org/2000/svg">
            <text class="caption" x="\(number(Self.left))" y="14">Orders per day (bars) · \(days.count) days</text>
            <text class="caption revenue-caption" x="\(number(Self.width - 2))" y="14" text-anchor="end">Revenue (line)</text>
            <text class="value" x="\(number(Self.left - 6))" y="\(number(Self.top + 4))" text-anchor="end">\(DisplayNumber.integer(String(mostOrders)).html)</text>
            <text class="value" x="\(number(Self.left - 6))" y="\(number(baseline))" text-anchor="end">0</text>
            <text class="value" x="\(number(Self.width - 2))" y="\(number(Self.top + 4))" text-anchor="end">\(DisplayNumber.decimal(largestRevenueText).html)</text>
            <line class="axis" x1="\(number(Self.left))" y1="\(number(baseline))" x2="\(number(Self.width - Self.right))" y2="\(number(baseline))"/>

            """
        var points: [String] = []
        for (index, day) in days.enumerated() {
            let center = Self.left + slot * (Double(index) + 0.5)
            // A day without orders still shows a hairline, so the gap reads as zero, not as missing.
            let height = mostOrders > 0 ? max(1, Double(day.orders) / Double(mostOrders) * plotHeight) : 1
            let tooltip = "\(day.date): \(DisplayNumber.integer(String(day.orders))) \(day.orders == 1 ? "order" : "orders"), revenue \(DisplayNumber.decimal(day.revenue))"
            svg += """
                <g><title>\(tooltip.html)</title><rect class="day" x="\(number(center - barWidth / 2))" \
                y="\(number(baseline - height))" width="\(number(barWidth))" height="\(number(height))"/></g>

                """
            let y = mostRevenue > 0 ? baseline - revenues[index] / mostRevenue * plotHeight : baseline
            points.append("\(number(center)),\(number(y))")
        }
        svg += """
            <polyline class="revenue" points="\(points.joined(separator: " "))"/>
            <text class="value" x="\(number(Self.left))" y="\(number(Self.height - 6))">\(first.date.description.html)</text>
            <text class="value" x="\(number(Self.width - Self.right))" y="\(number(Self.height - 6))" text-anchor="end">\(last.date.description.html)</text>
            </svg>
            """
        return svg
    }
}
