/// Reads the dashboard's ``HeadlineFigures``: from `reporting.window_summaries` when the last load
/// kept both windows (the latest weeks, migration 0007), else with one index-only range scan of
/// `fact_orders` over both (`fact_orders_order_date_idx` carries customer_key and price).
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
                with windowed as (
                    select
                        f.customer_key,
                        f.price,
                        f.order_date > \(asOf)::date - \(days)::integer as is_current
                    from warehouse.fact_orders as f
                    where f.order_date between \(asOf)::date - (2 * \(days)::integer - 1) and \(asOf)::date
                )

                select
                    \(sql: windowColumns(asOf: asOf, days: days)),
                    count(*) filter (where is_current) as orders,
                    count(distinct customer_key) filter (where is_current) as customers,
                    coalesce(sum(price) filter (where is_current), 0)::numeric(20, 2) as revenue,
                    count(*) filter (where not is_current) as previous_orders,
                    count(distinct customer_key) filter (where not is_current) as previous_customers,
                    coalesce(sum(price) filter (where not is_current), 0)::numeric(20, 2) as previous_revenue
                from windowed
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
