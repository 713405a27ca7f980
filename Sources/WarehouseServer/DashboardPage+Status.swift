import WarehouseKit

/// The page's top: warnings about the data's age and failed loads, the headline cards, the last load.
extension DashboardPage {
    var alerts: String {
        var html = ""
        if status.isStale {
            let text: String
            if let confirmed = status.lastConfirmation {
                text = """
                    <strong>The data may be out of date.</strong> The last load finished \
                    \(confirmed.ageText.html) (\(confirmed.finishedAtText.html)), longer ago than the \
                    \(staleThresholdText.html) this dashboard allows. Check the daily load \
                    (<code>warehouse ingest</code> or <code>warehouse pull</code>).
                    """
            } else {
                text = """
                    <strong>No load has succeeded yet.</strong> Load the supplier's file with \
                    <code>warehouse ingest FILE</code>.
                    """
            }
            html += "<div class=\"alert stale\" role=\"alert\">\(text)</div>\n"
        }
        if let failed = status.failureSinceConfirmation {
            let error = failed.error.map { String($0.prefix(400)) } ?? "no error recorded"
            html += """
                <div class="alert failed" role="alert"><strong>The latest load failed.</strong> \
                Load #\(failed.batchID) (\(failed.source.html)) failed \(failed.ageText.html), \
                \(failed.finishedAtText.html): \(error.html) — the figures below are from the load before it.</div>

                """
        }
        return html
    }

    var cards: String {
        let days = headline.previousWindow.days
        let period = days == 1 ? "the day before" : "in the previous \(days) days"
        return """
            <section class="cards" aria-label="Headline figures">
            \(card(title: "Orders", figure: headline.orders, period: period, format: DisplayNumber.integer, id: "orders"))
            \(card(title: "Customers", figure: headline.customers, period: period, format: DisplayNumber.integer, id: "customers"))
            \(card(title: "Revenue", figure: headline.revenue, period: period, format: { DisplayNumber.decimal($0) }, id: "revenue"))
            \(loadCard)
            </section>
            """
    }

    func card(title: String, figure: HeadlineFigures.Figure, period: String, format: (String) -> String, id: String) -> String {
        let change: String
        if let percent = DisplayNumber.percentChange(current: figure.current, previous: figure.previous) {
            let direction = percent.hasPrefix("+") ? "up" : percent.hasPrefix("-") ? "down" : "flat"
            let arrow = direction == "up" ? "▲" : direction == "down" ? "▼" : "■"
            change = "<span class=\"change \(direction)\"><span aria-hidden=\"true\">\(arrow)</span> \(percent.html)</span>"
        } else {
            change = "<span class=\"change\">new</span>"
        }
        return """
            <article class="card" id="\(id)"><h3>\(title.html)</h3>
            <p class="figure">\(format(figure.current).html)</p>
            <p class="delta" title="\(headline.previousWindow.start.html) – \(headline.previousWindow.end.html)">\(change) vs \(format(figure.previous).html) \(period.html)</p></article>
            """
    }

    var loadCard: String {
        guard let load = status.lastSuccess else {
            return """
                <article class="card stale" id="last-load"><h3>Last load</h3>
                <p class="figure when">None yet</p><p class="delta">Run <code>warehouse ingest FILE</code></p></article>
                """
        }
        var counts: [(String, Int?)] = [("read", load.rowsRead), ("new", load.inserted), ("changed", load.updated),
                                        ("rejected", load.rejected)]
        if let missing = load.missing, missing > 0 { counts.append(("no longer in file", missing)) }
        let countsHTML = counts.compactMap { name, value in
            value.map { "<span><b>\(DisplayNumber.integer(String($0)).html)</b> \(name.html)</span>" }
        }.joined()
        var checked = ""
        if let confirmed = status.lastConfirmation, confirmed.batchID != load.batchID {
            checked = "<p class=\"delta\">Same data re-checked \(confirmed.ageText.html)</p>"
        }
        return """
            <article class="card\(status.isStale ? " stale" : "")" id="last-load"><h3>Last load</h3>
            <p class="figure when">\(load.finishedAtText.html)</p>
            <p class="delta">\(load.ageText.html) · #\(load.batchID) · \(load.sourceKind.html)</p>\(checked)
            <p class="counts">\(countsHTML)</p></article>
            """
    }
}
