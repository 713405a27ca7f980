public import WarehouseKit

extension TestSupport {
    /// How many rows of the maintained report tables differ from a from-scratch computation over
    /// the facts, plus orphan facts: 0 when a load kept everything consistent.
    public static func reportDrift(_ connection: PostgresConnection) throws -> Int {
        let latest = """
            select distinct on (customer_key) customer_key, order_id, order_date, product_key, price, passenger_count
            from warehouse.fact_orders order by customer_key, order_date desc, order_id desc
            """
        let totals = """
            select customer_key, count(*)::bigint, sum(price), min(order_date), max(order_date)
            from warehouse.fact_orders group by 1
            """
        return try connection.execute(SQL(unsafeRaw: """
            select
                (select count(*) from ((\(totals) except select * from reporting.customer_order_totals)
                    union all (select * from reporting.customer_order_totals except \(totals))) d)
              + (select count(*) from (((\(latest)) except select * from reporting.customer_latest_order)
                    union all (select * from reporting.customer_latest_order except (\(latest)))) d)
              + (select coalesce(sum(orphan_facts), 0) from ops.check_integrity()) as drift
            """)).single().int("drift")
    }
}
