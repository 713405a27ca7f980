import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// Distinct customers of any window (migration 0013's per-day bitmaps), as the dashboard's headline
/// reads them: after a first load, a next-day snapshot, corrections by hand and a TRUNCATE, equal
/// to the customers counted here from the orders. About 17,000 customers, so keys fall in three
/// chunks of 8,192.
@Suite("Report: distinct customers for any window", .blockingWork)
struct WindowCustomersTests {
    typealias Order = FixtureOrder

    static func orders(count: Int, seed: UInt64) -> [Order] {
        var random = FixtureRandom(seed: seed)
        return (1...count).map { Order(id: $0, customer: random.next(20_000), cents: 100 + random.next(5_000), day: random.next(30)) }
    }

    /// Windows of 1…40 days ending anywhere in the data and past it, as the headline asks for them
    /// (the window and the one before it).
    static let windows: [(asOf: CivilDate, days: Int)] = {
        var random = FixtureRandom(seed: 11)
        return (0..<20).map { _ in (asOf: Order.firstDay.adding(days: random.next(36)), days: 1 + random.next(40)) }
            + [(Order.firstDay.adding(days: 29), 30), (Order.firstDay.adding(days: 30), 7), (Order.firstDay.adding(days: 100), 90)]
    }()

    /// Orders, distinct customers and revenue of the `days` days ending on `asOf`, from the orders.
    static func expected(_ byDay: [String: [Order]], asOf: CivilDate, days: Int) -> (orders: Int, customers: Int, cents: Int) {
        let inWindow = (0..<days).flatMap { byDay[asOf.adding(days: -$0).description] ?? [] }
        return (inWindow.count, Set(inWindow.map(\.customer)).count, inWindow.map(\.cents).reduce(0, +))
    }

    /// `headline`: also through the dashboard's headline, which reads the latest weeks as the last
    /// load kept them (hand corrections reach those at the next load).
    static func compare(_ orders: [Order], on connection: PostgresConnection, headline: Bool = true) throws {
        let byDay = Dictionary(grouping: orders, by: \.date)
        for window in windows {
            let current = expected(byDay, asOf: window.asOf, days: window.days)
            let previous = expected(byDay, asOf: window.asOf.adding(days: -window.days), days: window.days)
            let direct = try connection.execute(
                "select reporting.window_customers(\(window.asOf)::date, \(window.days)::integer) as n").single().int("n")
            #expect(direct == current.customers, "window of \(window.days) days to \(window.asOf)")
            guard headline else { continue }
            let figures = try HeadlineStore(connection: connection).figures(asOf: window.asOf, days: window.days)
            #expect([figures.customers.current, figures.customers.previous] == ["\(current.customers)", "\(previous.customers)"],
                    "headline of \(window.days) days to \(window.asOf)")
            #expect([figures.orders.current, figures.orders.previous] == ["\(current.orders)", "\(previous.orders)"])
            #expect(figures.revenue.current == String(format: "%d.%02d", current.cents / 100, current.cents % 100))
        }
    }

    static func load(_ orders: [Order], on connection: PostgresConnection) throws {
        try ingestSnapshot(Order.csv(orders) { "K\($0)" }, on: connection)
    }

    /// The customer key the loader gave a fixture customer.
    static func key(_ customer: Int, on connection: PostgresConnection) throws -> Int {
        try connection.execute("select customer_key from warehouse.dim_customers where customer_name = \("K\(customer)")").single()
            .int("customer_key")
    }

    @Test("every load, hand corrections and a truncate keep any window's customers exact")
    func followsEveryChange() throws {
        try withReportDatabase { connection in
            var orders = Self.orders(count: 40_000, seed: 3)
            try Self.load(orders, on: connection)
            let chunks = try connection.execute("select count(distinct chunk) as n from reporting.day_customers").single().int("n")
            #expect(chunks == 3)
            #expect(try TestSupport.reportDrift(connection) == 0)
            try Self.compare(orders, on: connection)

            // The bitmaps the loader wrote are the ones the facts give in SQL.
            let streamed = try connection.execute(
                "select order_date::text || chunk || members::text as r from reporting.day_customers order by 1").rows.map { try $0.string("r") }
            try connection.execute("select reporting.recompute_day_customers()")
            let recomputed = try connection.execute(
                "select order_date::text || chunk || members::text as r from reporting.day_customers order by 1").rows.map { try $0.string("r") }
            #expect(streamed == recomputed)

            // Next day: removals, orders moved to another customer or day, and a new day.
            var random = FixtureRandom(seed: 17)
            orders.removeAll { $0.id % 53 == 0 }
            for index in orders.indices where random.next(30) == 0 {
                if random.next(2) == 0 { orders[index].customer = random.next(20_000) } else { orders[index].day = random.next(30) }
            }
            orders += Self.orders(count: 1_500, seed: 8).enumerated().map { offset, order in
                Order(id: 40_001 + offset, customer: order.customer, cents: order.cents, day: 30)
            }
            try Self.load(orders, on: connection)
            #expect(try TestSupport.reportDrift(connection) == 0)
            try Self.compare(orders, on: connection)

            // By hand in psql: an order moves to another customer and day, one goes, one is copied.
            let moved = try #require(orders.indices.first { index in orders.filter { $0.customer == orders[index].customer }.count == 1 })
            let target = try #require(orders.first { $0.customer != orders[moved].customer && $0.day != orders[moved].day })
            try connection.execute("""
                update warehouse.fact_orders
                set customer_key = \(try Self.key(target.customer, on: connection)),
                    order_date = \(target.date)::date, date_key = \(Int(target.date.replacingOccurrences(of: "-", with: ""))!)
                where order_id = \(orders[moved].id)
                """)
            (orders[moved].customer, orders[moved].day) = (target.customer, target.day)
            try Self.compare(orders, on: connection, headline: false)
            let gone = orders.removeLast()
            try connection.execute("delete from warehouse.fact_orders where order_id = \(gone.id)")
            try connection.execute("""
                insert into warehouse.fact_orders
                select 99999, customer_key, product_key, date_key, order_date, price, passenger_count, inserted_batch_id, updated_batch_id
                from warehouse.fact_orders where order_id = 1
                """)
            orders.append(Order(id: 99_999, customer: orders[0].customer, cents: orders[0].cents, day: orders[0].day))
            try Self.compare(orders, on: connection, headline: false)
            #expect(try TestSupport.dayCustomerDrift(connection) == 0)

            try connection.execute("truncate warehouse.fact_orders cascade")
            #expect(try connection.execute("select count(*) as n from reporting.day_customers").single().int("n") == 0)
        }
    }
}
