/// The three business reports (docs/reports.md), by the names `warehouse report` takes.
public enum ReportKind: String, CaseIterable, Sendable {
    /// Every customer with the number and value of their orders, most orders first.
    case totalOrders = "total-orders"
    /// Each customer's latest order (ties on date: the higher order_id), most recent first.
    case mostRecentOrder = "most-recent-order"
    /// Customers ranked by the value of their orders in a window of days ending on an as-of date.
    case topCustomers = "top-customers"

    /// The file in `sql/analysis/` that runs this report under psql.
    public var analysisFileName: String {
        switch self {
        case .totalOrders: return "01_total_orders_per_customer.sql"
        case .mostRecentOrder: return "02_most_recent_order_per_customer.sql"
        case .topCustomers: return "03_top_customers_last_week.sql"
        }
    }

    /// The columns, in order, exactly as the psql file selects them.
    public var columns: [ReportColumn] {
        switch self {
        case .totalOrders:
            return [.init("customer_name", .text), .init("total_orders", .integer), .init("total_value", .decimal),
                    .init("first_order_date", .date), .init("last_order_date", .date)]
        case .mostRecentOrder:
            return [.init("customer_name", .text), .init("order_id", .integer), .init("order_date", .date),
                    .init("product_id", .text), .init("price", .decimal), .init("passenger_count", .integer)]
        case .topCustomers:
            return [.init("rank", .integer), .init("customer_name", .text), .init("total_value", .decimal),
                    .init("order_count", .integer)]
        }
    }

    /// Only the weekly report depends on a date window; the other two cover every loaded order.
    public var usesWindow: Bool { self == .topCustomers }

    /// Rows shown when no limit is asked for: a "top" list is short, the per-customer lists are whole.
    public var defaultLimit: Int? { self == .topCustomers ? 10 : nil }

    /// The heading of the table output; the weekly report states its window.
    public func title(window: ReportWindow?) -> String {
        switch self {
        case .totalOrders: return "Total orders per customer"
        case .mostRecentOrder: return "Most recent order per customer"
        case .topCustomers:
            guard let window else { return "Top customers by value" }
            return "Top customers by value, \(window.start) .. \(window.end) (\(window.days) \(window.days == 1 ? "day" : "days"))"
        }
    }

    /// What an empty result means, said to the person running the report.
    public func emptyMessage(window: ReportWindow?) -> String {
        switch self {
        case .totalOrders, .mostRecentOrder:
            return "No orders loaded yet."
        case .topCustomers:
            guard let window else { return "No orders in the window." }
            return "No orders between \(window.start) and \(window.end)."
        }
    }
}
