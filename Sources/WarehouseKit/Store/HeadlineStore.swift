/// Reads the dashboard's ``HeadlineFigures``: from `reporting.window_summaries` when the last load
/// kept both windows (the latest weeks, migration 0007), else from the per-day totals (migration
/// 0011) and the per-day customer bitmaps (`reporting.window_customers`, migration 0013): a few
/// hundred small rows whatever the windows' length, instead of every fact in them.
public struct HeadlineStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// The `days`-day window ending on `asOf` and the one just before it, in one read-only snapshot.
    /// - Throws: ``PostgresError``.
    public func figures(asOf: CivilDate, days: Int) throws -> HeadlineFigures {
        try connection.readOnlySnapshot {
            let row = try kept(asOf: asOf, days: days) ?? connection.execute("""
                select
                    \(sql: windowColumns(asOf: asOf, days: days)),
                    coalesce(sum(orders) filter (where order_date > \(asOf)::date - \(days)::integer), 0) as orders,
                    reporting.window_customers(\(asOf)::date, \(days)::integer) as customers,
                    coalesce(sum(revenue) filter (where order_date > \(asOf)::date - \(days)::integer), 0)::numeric(20, 2)
                        as revenue,
                    coalesce(sum(orders) filter (where order_date <= \(asOf)::date - \(days)::integer), 0) as previous_orders,
                    reporting.window_customers(\(asOf)::date - \(days)::integer, \(days)::integer) as previous_customers,
                    coalesce(sum(revenue) filter (where order_date <= \(asOf)::date - \(days)::integer), 0)::numeric(20, 2)
                        as previous_revenue
                from reporting.daily_totals
                where order_date between \(asOf)::date - (2 * \(days)::integer - 1) and \(asOf)::date
                """).single()
            func figure(_ name: String) throws -> HeadlineFigures.Figure {
                .init(current: try row.string(name), previous: try row.string("previous_" + name))
            }
            return HeadlineFigures(
                window: ReportWindow(start: try row.string("window_start"), end: try row.string("window_end"), days: days),
                previousWindow: ReportWindow(
                    start: try row.string("previous_start"), end: try row.string("previous_end"), days: days),
                orders: try figure("orders"), customers: try figure("customers"), revenue: try figure("revenue"))
        }
    }

    /// The two windows' first and last days, as text, for either source.
    private func windowColumns(asOf: CivilDate, days: Int) -> SQL {
        """
        (\(asOf)::date - (\(days)::integer - 1))::text as window_start,
        (\(asOf)::date)::text as window_end,
        (\(asOf)::date - (2 * \(days)::integer - 1))::text as previous_start,
        (\(asOf)::date - \(days)::integer)::text as previous_end
        """
    }

    /// Both windows' figures as the last load kept them, or nil when either is not kept.
    private func kept(asOf: CivilDate, days: Int) throws -> PostgresRow? {
        let result = try connection.execute("""
            select
                \(sql: windowColumns(asOf: asOf, days: days)),
                c.orders, c.customers, c.revenue,
                p.orders as previous_orders, p.customers as previous_customers, p.revenue as previous_revenue
            from reporting.window_summaries as c
            join reporting.window_summaries as p on p.days = c.days and p.window_end = c.window_end - c.days
            where c.window_end = \(asOf)::date and c.days = \(days)::integer
            """)
        return result.rowCount == 1 ? try result.single() : nil
    }
}
