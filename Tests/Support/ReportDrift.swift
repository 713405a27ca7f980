public import WarehouseKit

extension TestSupport {
    /// How many rows of the maintained report tables differ from a from-scratch computation over
    /// the facts, plus orphan facts, plus kept weeks (migration 0007) that are not the wanted ones
    /// or whose figures or ranking differ from the facts, plus days whose totals (migration 0011)
    /// differ from the facts, plus day leaders (migration 0012) whose listed total is not the
    /// customer's day total, customers left out above their day's bound, and days with orders but
    /// no list (or a list but no orders), plus days whose customer bitmaps (migration 0013) differ
    /// from the facts' customers, plus history versions that overlap or a removed order
    /// still among the facts: 0 when a load kept everything consistent.
    public static func reportDrift(_ connection: PostgresConnection) throws -> Int {
        let latest = """
            select distinct on (customer_key) customer_key, order_id, order_date, product_key, price, passenger_count
            from warehouse.fact_orders order by customer_key, order_date desc, order_id desc
            """
        let totals = """
            select customer_key, count(*)::bigint, sum(price), min(order_date), max(order_date)
            from warehouse.fact_orders group by 1
            """
        let daily = "select order_date, count(*)::bigint, sum(price) from warehouse.fact_orders group by 1"
        // Each kept week's ranking: every customer at or above the depth-th value, as kept and as
        // recomputed from the facts.
        let keptRankings = """
            select r.window_end, r.days, r.customer_key, r.total_value, r.order_count
            from reporting.window_rankings as r
            """
        let recomputedRankings = """
            select window_end, days, customer_key, total_value, order_count
            from (
                select s.window_end, s.days, s.ranked_depth, f.customer_key, sum(f.price) as total_value,
                       count(*) as order_count,
                       rank() over (partition by s.window_end, s.days order by sum(f.price) desc) as value_rank
                from reporting.window_summaries as s
                join warehouse.fact_orders as f on f.order_date between s.window_end - (s.days - 1) and s.window_end
                group by s.window_end, s.days, s.ranked_depth, f.customer_key) as w
            where value_rank <= ranked_depth
            """
        return try dayLeaderDrift(connection) + dayCustomerDrift(connection) + blockLeaderDrift(connection)
            + connection.execute(SQL(unsafeRaw: """
            select
                (select count(*) from ((\(totals) except select * from reporting.customer_order_totals)
                    union all (select * from reporting.customer_order_totals except \(totals))) d)
              + (select count(*) from (((\(latest)) except select * from reporting.customer_latest_order)
                    union all (select * from reporting.customer_latest_order except (\(latest)))) d)
              + (select coalesce(sum(orphan_facts), 0) from ops.check_integrity())
              + (select count(*) from (
                    (select window_end, days from reporting.wanted_windows()
                     except select window_end, days from reporting.window_summaries)
                    union all (select window_end, days from reporting.window_summaries
                     except select window_end, days from reporting.wanted_windows())) d)
              + (select count(*) from reporting.window_summaries as s
                 cross join lateral (
                     select count(*) as orders, count(distinct f.customer_key) as customers,
                            coalesce(sum(f.price), 0) as revenue
                     from warehouse.fact_orders as f
                     where f.order_date between s.window_end - (s.days - 1) and s.window_end) as t
                 where (s.orders, s.customers, s.revenue) is distinct from (t.orders, t.customers, t.revenue))
              + (select count(*) from (\(keptRankings) except all \(recomputedRankings)) d)
              + (select count(*) from (\(recomputedRankings) except all \(keptRankings)) d)
              + (select count(*) from ((\(daily) except select * from reporting.daily_totals)
                    union all (select * from reporting.daily_totals except \(daily))) d)
              -- History (migration 0008): a current version made before an older version ended,
              -- a removed order still counted, or two versions of one order alive at once.
              + (select count(*) from warehouse.fact_order_history as h
                 join warehouse.fact_orders as f using (order_id) where f.updated_batch_id < h.valid_to_batch_id)
              + (select count(*) from warehouse.fact_order_history as a
                 join warehouse.fact_order_history as b on a.order_id = b.order_id
                  and a.valid_from_batch_id < b.valid_from_batch_id and a.valid_to_batch_id > b.valid_from_batch_id) as drift
            """)).single().int("drift")
    }

    /// Day leaders (migration 0012) that break their promise: a listed total that is not the
    /// customer's day total, a customer left out above its day's bound, a day with orders but no
    /// list or a list without orders. Kept by triggers, so 0 after hand edits too.
    public static func dayLeaderDrift(_ connection: PostgresConnection) throws -> Int {
        try connection.execute("""
            with customer_days as materialized (
                select order_date, customer_key, sum(price) as total_value from warehouse.fact_orders group by 1, 2
            )
            select
                (select count(*) from reporting.day_leaders as l
                 left join customer_days as c using (order_date, customer_key)
                 where coalesce(c.total_value, 0) <> l.total_value)
              + (select count(*) from customer_days as c
                 join reporting.day_leader_bounds as b using (order_date)
                 where c.total_value > b.unlisted_max
                   and not exists (select from reporting.day_leaders as l
                                   where l.order_date = c.order_date and l.customer_key = c.customer_key))
              + (select count(*) from ((select distinct order_date from customer_days
                                        except select order_date from reporting.day_leader_bounds)
                    union all (select order_date from reporting.day_leader_bounds
                               except select distinct order_date from customer_days)) d) as drift
            """).single().int("drift")
    }

    /// Block lists (migration 0015) that are wrong: a listed total or order count that differs
    /// from the facts, a customer left off a block although it spent more than the block's bound,
    /// or leaders of a block without a bound. A block may have no list (a change dropped it).
    public static func blockLeaderDrift(_ connection: PostgresConnection) throws -> Int {
        try connection.execute("""
            with block_customers as materialized (
                select l.level, reporting.block_start(f.order_date, l.level) as block_start, f.customer_key,
                       sum(f.price) as total_value, count(*)::integer as order_count
                from warehouse.fact_orders as f
                cross join reporting.block_levels() as l (level)
                group by 1, 2, 3
            )
            select
                (select count(*) from reporting.block_leaders as b
                 left join block_customers as c using (level, block_start, customer_key)
                 where (c.total_value, c.order_count) is distinct from (b.total_value, b.order_count))
              + (select count(*) from block_customers as c
                 join reporting.block_leader_bounds as b using (level, block_start)
                 where c.total_value > b.unlisted_max
                   and not exists (select from reporting.block_leaders as l
                                   where (l.level, l.block_start, l.customer_key) = (c.level, c.block_start, c.customer_key)))
              + (select count(*) from reporting.block_leaders as l
                 where not exists (select from reporting.block_leader_bounds as b
                                   where (b.level, b.block_start) = (l.level, l.block_start))) as drift
            """).single().int("drift")
    }

    /// Days whose customer bitmaps (migration 0013) differ from the facts: a (day, customer) with an
    /// order whose bit is not set, or a day whose bits count more or fewer customers than it has.
    /// Kept by triggers, so 0 after hand edits too.
    public static func dayCustomerDrift(_ connection: PostgresConnection) throws -> Int {
        try connection.execute("""
            with pairs as materialized (select distinct order_date, customer_key from warehouse.fact_orders),
            counted as (
                select order_date, sum(bit_count(members)) as customers from reporting.day_customers
                group by 1 having sum(bit_count(members)) > 0
            )
            select
                (select count(*) from pairs as p
                 left join reporting.day_customers as d on d.order_date = p.order_date and d.chunk = p.customer_key >> 13
                 where d.members is null or get_bit(d.members, p.customer_key & 8191) = 0)
              + (select count(*) from (
                    (select order_date, count(*) from pairs group by 1 except select * from counted)
                    union all (select * from counted except select order_date, count(*) from pairs group by 1)) d) as drift
            """).single().int("drift")
    }
}
