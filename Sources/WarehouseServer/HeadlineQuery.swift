import WarehouseKit

/// Reads ``HeadlineFigures`` with one index-only range scan of `fact_orders` over both windows
/// (`fact_orders_order_date_idx` carries customer_key and price).
struct HeadlineQuery {
    let asOf: ReportDate
    let days: Int

    /// - Throws: ``PostgresError``.
    func run(on connection: PostgresConnection) throws -> HeadlineFigures {
        try connection.readOnlySnapshot {
            let row = try connection.execute("""
                with windowed as (
                    select
                        f.customer_key,
                        f.price,
                        f.order_date > \(asOf)::date - \(days)::integer as is_current
                    from warehouse.fact_orders as f
                    where f.order_date between \(asOf)::date - (2 * \(days)::integer - 1) and \(asOf)::date
                )

                select
                    (\(asOf)::date - (\(days)::integer - 1))::text as window_start,
                    (\(asOf)::date)::text as window_end,
                    (\(asOf)::date - (2 * \(days)::integer - 1))::text as previous_start,
                    (\(asOf)::date - \(days)::integer)::text as previous_end,
                    count(*) filter (where is_current) as orders,
                    count(distinct customer_key) filter (where is_current) as customers,
                    coalesce(sum(price) filter (where is_current), 0)::numeric(16, 2) as revenue,
                    count(*) filter (where not is_current) as previous_orders,
                    count(distinct customer_key) filter (where not is_current) as previous_customers,
                    coalesce(sum(price) filter (where not is_current), 0)::numeric(16, 2) as previous_revenue
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
}
