import Foundation

/// A few orders written out as the supplier's CSV, and the reports they must give, computed here
/// from the rows themselves (never with the warehouse's SQL). Used by the tests that run the
/// binary against servers of their own.
struct TinyOrder {
    let customer: String
    let orderID: Int
    let cents: Int
    let date: String
    let product: String
    let passengers: Int

    var price: String { Self.decimal(cents) }

    static func decimal(_ cents: Int) -> String {
        let fraction = cents % 100
        return "\(cents / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

enum TinyOrders {
    /// The first day's snapshot: three customers, one name with a comma and a quote.
    static let firstDay = [
        TinyOrder(customer: "Ada Lovelace", orderID: 1, cents: 1050, date: "2023-12-01", product: "fast_track", passengers: 1),
        TinyOrder(customer: "Ada Lovelace", orderID: 2, cents: 2025, date: "2023-12-05", product: "transfer", passengers: 2),
        TinyOrder(customer: "Grace Hopper", orderID: 3, cents: 500, date: "2023-12-03", product: "transfer", passengers: 1),
        TinyOrder(customer: "O'Neil, Alan", orderID: 4, cents: 9999, date: "2023-12-09", product: "lounge", passengers: 3),
        TinyOrder(customer: "Grace Hopper", orderID: 5, cents: 710, date: "2023-12-10", product: "parking", passengers: 2),
    ]

    /// The next day's full snapshot: every order again, one repriced, two new ones.
    static let secondDay = firstDay.map { order in
        order.orderID == 3
            ? TinyOrder(customer: order.customer, orderID: 3, cents: 650, date: order.date, product: order.product, passengers: 1)
            : order
    } + [
        TinyOrder(customer: "Edsger Dijkstra", orderID: 6, cents: 4200, date: "2023-12-11", product: "lounge", passengers: 1),
        TinyOrder(customer: "Ada Lovelace", orderID: 7, cents: 100, date: "2023-12-11", product: "parking", passengers: 1),
    ]

    static func csv(_ orders: [TinyOrder]) -> String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        let lines = orders.map {
            [field($0.customer), String($0.orderID), $0.price, $0.date, $0.product, String($0.passengers)].joined(separator: ",")
        }
        return (["customer_name,order_id,price,order_date,product_id,passenger_count"] + lines).joined(separator: "\n") + "\n"
    }

    /// Writes `orders` as a CSV file in `folder`.
    static func write(_ orders: [TinyOrder], named name: String, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try csv(orders).write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The total-orders report: per customer, orders, value, first and last order date; most
    /// orders first, then by name.
    static func totalOrders(_ orders: [TinyOrder]) -> [[String]] {
        let byCustomer = Dictionary(grouping: orders, by: \.customer)
        let rows = byCustomer.map { customer, orders -> (String, Int, Int, String, String) in
            let dates = orders.map(\.date).sorted()
            return (customer, orders.count, orders.reduce(0) { $0 + $1.cents }, dates.first!, dates.last!)
        }
        return rows.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            .map { [$0.0, String($0.1), TinyOrder.decimal($0.2), $0.3, $0.4] }
    }

    static let totalOrdersHeader = ["customer_name", "total_orders", "total_value", "first_order_date", "last_order_date"]
}
