import WarehouseKit

/// The dashboard's one page: controls, headline figures, the last load, and the three reports.
///
/// Pure: it gets every value it shows and returns HTML, so it is tested without a server. Every
/// value that came from the database passes through ``HTMLEscaping`` on its way into the markup.
struct DashboardPage {
    let parameters: DashboardParameters
    /// The as-of day actually used (the request's, else the database's today, or the latest day
    /// with data when the window ending today is empty).
    let asOf: CivilDate
    /// The view named no day, and the window ending today held no order: the page opened on the
    /// latest data instead, and says so.
    var openedOnLatestData = false
    let status: WarehouseStatus
    let headline: HeadlineFigures
    /// total-orders, most-recent-order, top-customers, in that order.
    let reports: [ReportResult]
    /// Orders and revenue per day, oldest first, ending on ``asOf`` (90 days; empty: no chart).
    var trend: [DailyTotalsStore.Day] = []
    /// Time spent reading the data, for the footer.
    let milliseconds: Int

    func render() -> String {
        PageLayout.document(title: "Orders dashboard · \(asOf)", body: """
            <main>
            \(header)
            \(alerts)
            \(cards)
            \(trendSection)
            \(reports.map(section).joined(separator: "\n"))
            \(footer)
            </main>
            """)
    }

    var header: String {
        let window = headline.window
        return """
            <header class="top">
            <div><h1>Orders dashboard</h1>
            <p class="subtitle">As of <b>\(window.end.html)</b> · \(window.days == 1 ? "1 day" : "\(window.days) days"): \
            \(window.start.html) – \(window.end.html), compared with \(headline.previousWindow.start.html) – \
            \(headline.previousWindow.end.html)</p>\(latestDataNote)</div>
            \(controls)
            </header>
            """
    }

    /// A plain GET form: no script needed, and the URL of every view can be shared.
    var controls: String {
        let limit: Int
        if case .rows(let count) = parameters.limit { limit = count } else { limit = DashboardParameters.defaultRows }
        return """
            <form class="controls" method="get" action="/">
            <label for="as_of">As of<input type="date" id="as_of" name="as_of" value="\(asOf.description.html)" required></label>
            <label for="days">Window\(select(name: "days", choices: DashboardParameters.dayChoices, selected: parameters.days) { $0 == 1 ? "1 day" : "\($0) days" })</label>
            <label for="limit">Rows\(select(name: "limit", choices: DashboardParameters.rowChoices, selected: limit) { "\($0)" })</label>
            <button type="submit">Show</button>
            </form>
            """
    }

    /// A `<select>` of `choices`; a value given by URL that is not among them is offered as well.
    func select(name: String, choices: [Int], selected: Int, label: (Int) -> String) -> String {
        let values = choices.contains(selected) ? choices : (choices + [selected]).sorted()
        let options = values.map { value in
            "<option value=\"\(value)\"\(value == selected ? " selected" : "")>\(label(value).html)</option>"
        }
        return "<select id=\"\(name)\" name=\"\(name)\">" + options.joined() + "</select>"
    }

    var footer: String {
        let version = status.lastSuccess.map { "load #\($0.batchID)" } ?? "no load yet"
        return """
            <footer>Read-only view of the warehouse · data from \(version.html) · read in \(milliseconds) ms · \
            JSON: <a href="/api/summary\(linkQuery(window: true, limit: nil).html)">summary</a> · \
            data older than \(staleThresholdText.html) is flagged stale</footer>
            """
    }

    var staleThresholdText: String {
        let hours = status.staleAfterSeconds / 3_600
        return hours == hours.rounded() ? "\(Int(hours)) hours" : "\(DisplayNumber.format1(hours)) hours"
    }

    /// The current view's parameters as a query string, for links to downloads and the API.
    func linkQuery(window: Bool, limit: String?) -> String {
        QueryString.make([
            ("as_of", window ? asOf.description : nil),
            ("days", window ? String(parameters.days) : nil),
            ("limit", limit),
        ])
    }
}
