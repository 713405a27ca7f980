import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// Report 3 for windows the loads do not keep (migration 0012's day leaders, 0015's block
/// leaders): after a first load, a next-day snapshot, corrections by hand and a TRUNCATE, the top
/// 3, 10, 50 and 100 customers of many windows equal a ranking computed here from the orders. Days
/// and blocks hold more customers than a list keeps, so the lists are cut and their bounds are not
/// zero.
@Suite("Report: top customers for any window", .blockingWork)
struct AnyWindowTopCustomersTests {
    typealias Order = FixtureOrder

    static func name(_ customer: Int) -> String { "C\(String(format: "%05d", customer))" }
    static func money(_ cents: Int) -> String { "\(cents / 100).\(String(format: "%02d", cents % 100))" }

    /// About 700 orders a day over 30 days; a few customers order often. Prices come from a short
    /// list, so equal totals (ties) are common.
    static func orders(count: Int, seed: UInt64) -> [Order] {
        var random = FixtureRandom(seed: seed)
        return (1...count).map { id in
            let draw = random.next(1_000)
            let customer = draw * draw / 400 + random.next(3)   // 0…2,499, low numbers far more often
            let cents = [500, 1_250, 4_000, 9_999, 12_500, 30_000][random.next(6)]
            return Order(id: id, customer: customer, cents: cents, day: random.next(30))
        }
    }

    /// The report's first `limit` rows computed from the orders (grouped by date): rank (ties share
    /// it), name, value, orders; by value, then name.
    static func expected(_ byDay: [String: [Order]], asOf: CivilDate, days: Int, limit: Int) -> [[String]] {
        var sums: [Int: (cents: Int, count: Int)] = [:]
        for back in 0..<days {
            for order in byDay[asOf.adding(days: -back).description] ?? [] {
                sums[order.customer, default: (0, 0)].cents += order.cents
                sums[order.customer, default: (0, 0)].count += 1
            }
        }
        let sorted = sums.sorted { $0.value.cents != $1.value.cents ? $0.value.cents > $1.value.cents : name($0.key) < name($1.key) }
        return sorted.prefix(limit).map { customer, sum in
            [String(sums.values.filter { $0.cents > sum.cents }.count + 1), name(customer), money(sum.cents), "\(sum.count)"]
        }
    }

    /// Windows of 1…31 days ending anywhere in the data (and a few beyond it), plus longer ones.
    static let windows: [(asOf: CivilDate, days: Int)] = {
        var random = FixtureRandom(seed: 7)
        var windows = (0..<24).map { _ in (asOf: Order.firstDay.adding(days: random.next(32)), days: 1 + random.next(31)) }
        windows += [(Order.firstDay.adding(days: 29), 45), (Order.firstDay.adding(days: 40), 31), (Order.firstDay.adding(days: 3), 10)]
        return windows
    }()

    static func compare(_ orders: [Order], on connection: PostgresConnection, limit: Int = 10) throws {
        let byDay = Dictionary(grouping: orders, by: \.date)
        for window in windows {
            let actual = try report(.topCustomers, asOf: window.asOf.description, days: window.days, limit: .rows(limit), on: connection).table
            #expect(actual == expected(byDay, asOf: window.asOf, days: window.days, limit: limit),
                    "window of \(window.days) days to \(window.asOf)")
        }
    }

    static func load(_ orders: [Order], on connection: PostgresConnection) throws {
        try ingestSnapshot(Order.csv(orders, name: name), on: connection)
    }

    /// Windows within the data are answered from the lists, not by aggregating the facts: with the
    /// aggregate's function renamed away (inside a transaction that is rolled back), they still run.
    /// Top 10s need only the days' lists; the deeper rankings of windows of a week or more need the
    /// blocks' (the days' bounds add up past the 50th total).
    static func expectAnsweredByTheLists(on connection: PostgresConnection, deep: Bool = true) throws {
        try connection.execute("begin")
        defer { _ = try? connection.execute("rollback") }
        try connection.execute("alter function reporting.aggregate_top_customers(date, integer, integer) rename to aggregate_hidden")
        for window in windows where window.asOf <= Order.firstDay.adding(days: 29) && window.days <= 31 {
            for limit in deep && window.days >= 7 ? [10, 50] : [10] {
                try connection.execute("savepoint deep_window")
                let rows = try connection.execute(
                    "select count(*) as n from reporting.top_customers(\(window.asOf)::date, \(window.days)::integer, \(limit)::integer)").single()
                #expect(try rows.int("n") == limit, "top \(limit) of \(window.days) days to \(window.asOf)")
                try connection.execute("rollback to savepoint deep_window")
            }
        }
    }

    /// Every block of every level that holds an order has its list (as the loads that write them
    /// leave them).
    static func expectEveryBlockListed(on connection: PostgresConnection) throws {
        let missing = try connection.execute("""
            select count(*) as n from (
                select distinct l.level, reporting.block_start(f.order_date, l.level) as block_start
                from warehouse.fact_orders as f cross join reporting.block_levels() as l (level)
                except select level, block_start from reporting.block_leader_bounds) as m
            """).single()
        #expect(try missing.int("n") == 0)
        let cut = try connection.execute("select count(*) as n from reporting.block_leader_bounds where unlisted_max > 0").single()
        #expect(try cut.int("n") > 0)
    }

    @Test("every load, hand corrections and a truncate keep any window exact")
    func followsEveryChange() throws {
        try withReportDatabase { connection in
            var orders = Self.orders(count: 21_000, seed: 42)
            try Self.load(orders, on: connection)
            // The first load's lists are cut: some day has a bound above zero.
            let bounded = try connection.execute("select count(*) as n from reporting.day_leader_bounds where unlisted_max > 0").single()
            #expect(try bounded.int("n") > 0)
            #expect(try TestSupport.reportDrift(connection) == 0)
            try Self.expectEveryBlockListed(on: connection)
            for limit in [10, 3, 50, 100] { try Self.compare(orders, on: connection, limit: limit) }
            try Self.expectAnsweredByTheLists(on: connection)

            // Next day: removals, prices up and down, orders moved to another customer or day, and a
            // new day of orders.
            var random = FixtureRandom(seed: 99)
            orders.removeAll { $0.id % 97 == 0 }
            for index in orders.indices where random.next(40) == 0 {
                switch random.next(3) {
                case 0: orders[index].cents = [100, 45_000][random.next(2)]
                case 1: orders[index].customer = random.next(2_500)
                default: orders[index].day = random.next(30)
                }
            }
            let nextDay = Self.orders(count: 700, seed: 5).enumerated().map { offset, order in
                Order(id: 21_001 + offset, customer: order.customer, cents: order.cents, day: 30)
            }
            orders += nextDay
            try Self.load(orders, on: connection)
            #expect(try TestSupport.reportDrift(connection) == 0)
            try Self.expectEveryBlockListed(on: connection)
            for limit in [10, 50, 100] { try Self.compare(orders, on: connection, limit: limit) }
            try Self.expectAnsweredByTheLists(on: connection)

            // By hand in psql: a customer with one small order becomes the day's biggest, then its
            // order goes.
            let orderCounts = Dictionary(grouping: orders, by: \.customer).mapValues(\.count)
            let light = try #require(orders.indices.first { orderCounts[orders[$0].customer] == 1 && orders[$0].cents == 500 })
            try connection.execute("update warehouse.fact_orders set price = 2000 where order_id = \(Int64(orders[light].id))")
            orders[light].cents = 200_000
            #expect(try TestSupport.dayLeaderDrift(connection) == 0)
            #expect(try TestSupport.blockLeaderDrift(connection) == 0)
            // The blocks holding its day lost their lists (one a level); the others kept theirs.
            let day = orders[light].date
            let dropped = try connection.execute("""
                select count(*) filter (where b.block_start is null) as dropped, count(*) filter (where b.block_start is not null) as kept
                from reporting.block_levels() as l (level)
                left join reporting.block_leader_bounds as b
                  on b.level = l.level and b.block_start = reporting.block_start(\(day)::date, l.level)
                """).single()
            #expect(try dropped.int("dropped") > 0 && dropped.int("kept") == 0)
            #expect(try connection.execute("select count(*) as n from reporting.block_leader_bounds").single().int("n") > 0)
            for limit in [10, 50, 100] { try Self.compare(orders, on: connection, limit: limit) }
            try connection.execute("delete from warehouse.fact_orders where order_id = \(Int64(orders[light].id))")
            orders.remove(at: light)
            #expect(try TestSupport.dayLeaderDrift(connection) == 0)
            #expect(try TestSupport.blockLeaderDrift(connection) == 0)
            for limit in [10, 100] { try Self.compare(orders, on: connection, limit: limit) }

            try connection.execute("truncate warehouse.fact_orders cascade")
            #expect(try connection.execute("""
                select (select count(*) from reporting.day_leaders) + (select count(*) from reporting.day_leader_bounds)
                     + (select count(*) from reporting.block_leaders) + (select count(*) from reporting.block_leader_bounds) as n
                """).single().int("n") == 0)
        }
    }
}
