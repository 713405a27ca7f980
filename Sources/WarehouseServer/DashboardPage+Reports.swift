import WarehouseKit

/// One section per report: heading, downloads, a bar chart and the same rows as a table.
extension DashboardPage {
    func section(_ result: ReportResult) -> String {
        let kind = result.kind
        let window = kind.usesWindow
        let csv = "/reports/\(kind.rawValue).csv" + linkQuery(window: window, limit: "all")
        let json = "/api/reports/\(kind.rawValue)" + linkQuery(window: window, limit: parameters.limitText)
        return """
            <section class="report" id="\(kind.rawValue)" aria-labelledby="\(kind.rawValue)-title">
            <header><div><h2 id="\(kind.rawValue)-title">\(heading(result).html)</h2>
            <p class="about">\(about(kind).html)</p></div>
            <p class="downloads"><a href="\(csv.html)" download>Download CSV</a><a href="\(json.html)">JSON</a></p></header>
            \(result.rows.isEmpty ? empty(result) : body(result))
            </section>
            """
    }

    func heading(_ result: ReportResult) -> String {
        guard let window = result.window else { return result.title }
        return "Top customers by value, \(window.start) – \(window.end)"
    }

    func about(_ kind: ReportKind) -> String {
        switch kind {
        case .totalOrders: return "Customers with the most orders, over every loaded order."
        case .mostRecentOrder: return "Each customer's latest order, newest first (same day: the higher order id)."
        case .topCustomers: return "Sum of order prices in the window, both ends included; equal values share a rank."
        }
    }

    func body(_ result: ReportResult) -> String {
        var notes = ""
        if result.isTruncated {
            notes += "<p class=\"note\">Showing the first \(result.rows.count); the CSV download has them all."
            if result.limitSplitsTie { notes += " More customers share the last rank shown." }
            notes += "</p>"
        }
        return """
            <div class="body"><div>\(chart(result).render())</div>
            <div>\(table(result))\(notes)</div></div>
            """
    }

    func empty(_ result: ReportResult) -> String {
        var html = "<p class=\"empty\">\(result.emptyMessage.html)"
        if result.kind.usesWindow, let latest = status.latestOrderDate, latest != asOf.description {
            let query = QueryString.make([("as_of", latest), ("days", String(parameters.days)), ("limit", parameters.limitText)])
            html += " The newest order is from \(latest.html): <a href=\"\(("/" + query).html)\">show the window ending then</a>."
        }
        return html + "</p>"
    }

    /// The bar each report draws: the figure its ranking is about.
    func chart(_ result: ReportResult) -> BarChartSVG {
        let valueColumn: String
        switch result.kind {
        case .totalOrders: valueColumn = "total_orders"
        case .mostRecentOrder: valueColumn = "price"
        case .topCustomers: valueColumn = "total_value"
        }
        let nameIndex = result.columns.firstIndex { $0.name == "customer_name" }
        let valueIndex = result.columns.firstIndex { $0.name == valueColumn }
        let isMoney = valueIndex.map { result.columns[$0].type == .decimal } ?? false
        let bars = result.rows.map { row in (nameIndex.flatMap { row[$0] }, valueIndex.flatMap { row[$0] }) }.map { name, value in
            BarChartSVG.Bar(
                label: name ?? "",
                value: value.flatMap(Double.init) ?? 0,
                valueText: value.map { isMoney ? DisplayNumber.decimal($0) : DisplayNumber.integer($0) } ?? "")
        }
        let caption = result.kind == .mostRecentOrder ? "Price of the latest order" : Self.header(valueColumn)
        return BarChartSVG(title: heading(result) + ": " + caption, valueCaption: caption, bars: bars)
    }

    func table(_ result: ReportResult) -> String {
        let headers = result.columns.map { column in
            "<th scope=\"col\"\(column.type.isNumber ? " class=\"num\"" : "")>\(Self.header(column.name).html)</th>"
        }.joined()
        let rows = result.rows.map { row in
            "<tr>" + zip(result.columns, row).map { column, value in Self.cell(column, value) }.joined() + "</tr>"
        }.joined(separator: "\n")
        return "<table><thead><tr>\(headers)</tr></thead>\n<tbody>\n\(rows)\n</tbody></table>"
    }

    static func cell(_ column: ReportColumn, _ value: String?) -> String {
        guard let value else { return "<td></td>" }
        switch column.type {
        case .decimal: return "<td class=\"num\">\(DisplayNumber.decimal(value).html)</td>"
        // Identifiers and ranks are not quantities: no thousands separators.
        case .integer where column.name == "order_id" || column.name == "rank":
            return "<td class=\"num\">\(value.html)</td>"
        case .integer: return "<td class=\"num\">\(DisplayNumber.integer(value).html)</td>"
        case .text where column.name == "customer_name": return "<td class=\"name\">\(value.html)</td>"
        case .text, .date: return "<td>\(value.html)</td>"
        }
    }

    static func header(_ column: String) -> String {
        switch column {
        case "customer_name": return "Customer"
        case "total_orders", "order_count": return "Orders"
        case "total_value": return "Value"
        case "first_order_date": return "First order"
        case "last_order_date": return "Last order"
        case "order_id": return "Order id"
        case "order_date": return "Date"
        case "product_id": return "Product"
        case "price": return "Price"
        case "passenger_count": return "Passengers"
        case "rank": return "Rank"
        default: return column
        }
    }
}

extension ReportColumn.ValueType {
    /// Right-aligned in tables (``ReportColumn/ValueType/isNumeric`` is internal to WarehouseKit).
    var isNumber: Bool { self == .integer || self == .decimal }
}
