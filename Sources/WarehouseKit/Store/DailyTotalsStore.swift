/// Reads `reporting.daily_totals` (migration 0011): orders and revenue per order day, which every
/// load keeps in step with the facts. One index range scan of at most a few hundred rows.
public struct DailyTotalsStore {
    /// One day of the trend: its orders and revenue (PostgreSQL's exact decimal text).
    public struct Day: Sendable, Equatable {
        public let date: CivilDate
        public let orders: Int
        public let revenue: String

        public init(date: CivilDate, orders: Int, revenue: String) {
            self.date = date
            self.orders = orders
            self.revenue = revenue
        }
    }

    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Each of the `days` days ending on `asOf`, oldest first; days without orders as zeros.
    /// - Throws: ``PostgresError``.
    public func trend(asOf: CivilDate, days: Int) throws -> [Day] {
        let result = try connection.execute("""
            select order_date::text as order_date, orders, revenue::text as revenue
            from reporting.daily_trend(\(asOf)::date, \(days)::integer)
            """)
        return try result.rows.map { row in
            guard let date = CivilDate(iso: try row.string("order_date")) else {
                throw PostgresError(.protocolViolation, message: "reporting.daily_trend returned a day that is not YYYY-MM-DD")
            }
            return Day(date: date, orders: try row.int("orders"), revenue: try row.string("revenue"))
        }
    }
}
