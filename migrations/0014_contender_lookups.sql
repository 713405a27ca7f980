-- Report 3's exact totals for the day leaders' contenders, by lookups the planner cannot turn into
-- a scan. This is migration 0012's reporting.top_customers but for its from_leaders step. 0012 joined
-- the contenders to every day of the window from generate_series over dates, which the planner
-- guesses at 1,000 days: for 49 contenders it chose to scan the whole date index in parallel
-- (1.1-1.3 s for a 30-day top 20 at 5M facts) instead of 49 x 30 lookups. Now each contender's
-- total on each day with orders (reporting.daily_totals) is one lateral lookup in
-- (order_date, customer_key), which cannot be turned into a scan.
create or replace function reporting.top_customers(as_of date default current_date, days integer default 7, n integer default 10)
returns table (
    rank bigint,
    customer_name text,
    total_value numeric,
    order_count bigint,
    window_start date,
    window_end date
)
language plpgsql stable
set work_mem = '64MB'
set jit = off
as $$
#variable_conflict use_column
declare
    first_day date;
    kept boolean;
    bound numeric;
    listed_days bigint;
    order_days bigint;
    threshold numeric;
    contenders integer[];
begin
    if top_customers.days is null or top_customers.days < 1 then
        raise exception 'reporting.top_customers: days must be at least 1, not %', coalesce(top_customers.days::text, 'null')
            using errcode = 'invalid_parameter_value';
    end if;
    first_day := top_customers.as_of - (top_customers.days - 1);

    kept := exists (
        select from reporting.window_summaries as s
        where s.window_end = top_customers.as_of and s.days = top_customers.days
          and (s.customers <= s.ranked_depth or top_customers.n <= s.ranked_depth)
    );

    if not kept then
        -- Every day of the window with orders must have its list.
        if top_customers.n >= 1 then
            select coalesce(sum(b.unlisted_max), 0), count(*) into bound, listed_days
            from reporting.day_leader_bounds as b
            where b.order_date between first_day and top_customers.as_of;
            select count(*) into order_days
            from reporting.daily_totals as t
            where t.order_date between first_day and top_customers.as_of;
        end if;

        if listed_days = order_days then
            -- What the lists know: each listed customer's total over the days it is listed on (a
            -- lower bound of its window total), and the bounds of those days.
            with listed as (
                select l.customer_key, sum(l.total_value) as known, sum(b.unlisted_max) as listed_bounds
                from reporting.day_leaders as l
                join reporting.day_leader_bounds as b using (order_date)
                where l.order_date between first_day and top_customers.as_of
                group by l.customer_key
            ),

            cut as (
                select li.known from listed as li order by li.known desc offset top_customers.n - 1 limit 1
            )

            select c.known,
                   array(select li.customer_key from listed as li
                         where li.known + (bound - li.listed_bounds) >= c.known)
            into threshold, contenders
            from cut as c;
        end if;

        -- Unless nobody outside the lists can reach the n-th known total (then the contenders hold
        -- the answer), aggregate the window.
        if threshold is null or bound >= threshold then
            return query select * from reporting.aggregate_top_customers(top_customers.as_of, top_customers.days, top_customers.n);
            return;
        end if;
    end if;

    -- The candidates hold every customer at or above the n-th value (a kept week's ranking, or the
    -- contenders' exact totals), so the ranks among them are the ranks among all.
    return query
    with from_kept as (
        select r.customer_key, r.total_value, r.order_count
        from reporting.window_rankings as r
        where kept and r.window_end = top_customers.as_of and r.days = top_customers.days
        order by r.total_value desc
        fetch first coalesce(top_customers.n, 2147483647) rows with ties
    ),

    from_leaders as (
        select c.customer_key, sum(t.total_value) as total_value, sum(t.order_count)::bigint as order_count
        from unnest(contenders) as c (customer_key)
        cross join (
            select d.order_date from reporting.daily_totals as d
            where d.order_date between first_day and top_customers.as_of
        ) as d
        cross join lateral (
            select sum(f.price) as total_value, count(*) as order_count
            from warehouse.fact_orders as f
            where f.order_date = d.order_date and f.customer_key = c.customer_key
        ) as t
        group by c.customer_key
    ),

    ranked as (
        select
            rank() over (order by c.total_value desc) as value_rank,
            (select dc.customer_name from warehouse.dim_customers as dc where dc.customer_key = c.customer_key) as customer_name,
            c.total_value,
            c.order_count
        from (select * from from_kept union all select * from from_leaders) as c
    )

    select r.value_rank, r.customer_name, r.total_value::numeric, r.order_count, first_day, top_customers.as_of
    from ranked as r
    order by r.value_rank, r.customer_name
    limit top_customers.n;
end;
$$;

comment on function reporting.top_customers(date, integer, integer) is
    'Report 3 for any window: top n customers by value over the days ending on as_of (inclusive).';
