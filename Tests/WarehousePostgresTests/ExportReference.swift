import Foundation
import WarehouseKit

/// What application.db must hold, computed here from the snapshot rows themselves (never with
/// the product's SQL), and what a file holds, read with plain queries.
struct ExportReference {
    struct Order {
        let customer: String
        let id: Int64
        let cents: Int64
        let date: String
        let product: String
        let passengers: Int
    }

    let orders: [Order]

    /// The snapshot as the supplier's CSV.
    var csv: String {
        IngestFixtures.header + orders.map { order in
            "\(order.customer),\(order.id),\(order.cents / 100).\(String(format: "%02d", order.cents % 100)),"
                + "\(order.date),\(order.product),\(order.passengers)\n"
        }.joined()
    }

    /// "id|customer|product|date|cents|passengers" by id.
    var facts: [String] {
        orders.sorted { $0.id < $1.id }.map { "\($0.id)|\($0.customer)|\($0.product)|\($0.date)|\($0.cents)|\($0.passengers)" }
    }

    /// Report 1 in report order: most orders first, then by name. "name|orders|cents|first|last".
    var totals: [String] {
        Dictionary(grouping: orders, by: \.customer).map { name, mine in
            (name, mine.count, mine.reduce(0) { $0 + $1.cents }, mine.map(\.date).min()!, mine.map(\.date).max()!)
        }
        .sorted { ($1.1, $0.0) < ($0.1, $1.0) }
        .map { "\($0.0)|\($0.1)|\($0.2)|\($0.3)|\($0.4)" }
    }

    /// Report 2 in report order: latest date first, then higher id. "name|id|date|product|cents|passengers".
    var mostRecent: [String] {
        Dictionary(grouping: orders, by: \.customer).values
            .map { mine in mine.max { ($0.date, $0.id) < ($1.date, $1.id) }! }
            .sorted { ($1.date, $1.id) < ($0.date, $0.id) }
            .map { "\($0.customer)|\($0.id)|\($0.date)|\($0.product)|\($0.cents)|\($0.passengers)" }
    }

    /// Report 3 for the 7 days ending on `asOf`, in rank order, ties by name. "rank|name|cents|orders".
    func top(asOf: String, windowStart: String) -> [String] {
        let inWindow = orders.filter { $0.date >= windowStart && $0.date <= asOf }
        let sums = Dictionary(grouping: inWindow, by: \.customer).map { ($0.key, $0.value.reduce(0) { $0 + $1.cents }, $0.value.count) }
        return sums.map { name, cents, count in (sums.filter { $0.1 > cents }.count + 1, name, cents, count) }
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            .map { "\($0.0)|\($0.1)|\($0.2)|\($0.3)" }
    }

    /// The same four lists read from a file; the reports with a plain `select *`, no ORDER BY.
    static func read(_ database: SQLiteDatabase) throws -> [String: [String]] {
        func rows(_ sql: String) throws -> [String] {
            try database.rows(sql: sql).map { $0.map(\.description).joined(separator: "|") }
        }
        return [
            "facts": try rows("""
                select f.order_id, c.customer_name, p.product_id, f.order_date, f.price_cents, f.passenger_count
                from fact_orders as f join dim_customers as c using (customer_key) join dim_products as p using (product_key)
                order by f.order_id
                """),
            "totals": try rows("select * from total_orders_per_customer").map { pick($0, [1, 2, 3, 5, 6]) },
            "mostRecent": try rows("select * from most_recent_order_per_customer").map { pick($0, [1, 2, 3, 4, 5, 7]) },
            "top": try rows("select * from top_customers_last_week").map { pick($0, [0, 2, 3, 5]) },
        ]
    }

    func expected(asOf: String, windowStart: String) -> [String: [String]] {
        ["facts": facts, "totals": totals, "mostRecent": mostRecent, "top": top(asOf: asOf, windowStart: windowStart)]
    }

    private static func pick(_ row: String, _ columns: [Int]) -> String {
        let fields = row.split(separator: "|", omittingEmptySubsequences: false)
        return columns.map { String(fields[$0]) }.joined(separator: "|")
    }

    /// Every table of a file, each row of `select *` in the table's own order; `export_info`
    /// without the keys that differ between any two exports.
    static func dump(_ database: SQLiteDatabase) throws -> [String: [String]] {
        let volatile: Set<String> = ["exported_at", "export_kind", "full_exported_at"]
        var tables: [String: [String]] = [:]
        for name in try database.rows(sql: "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'") {
            let table = name[0].description
            var rows = try database.rows(sql: "select * from \"\(table)\"").map { $0.map(\.description).joined(separator: "|") }
            if table == "export_info" {
                rows = rows.filter { !volatile.contains(String($0.split(separator: "|").first ?? "")) }.sorted()
            }
            tables[table] = rows
        }
        return tables
    }
}
