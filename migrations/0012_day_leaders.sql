-- Top customers for any window of days, without aggregating the window's facts (docs/reports.md,
-- "Any window"). For every order day the warehouse keeps the customers who spent the most that
-- day, with their exact day totals (reporting.day_leaders), and a bound on what any customer not
-- listed spent that day (reporting.day_leader_bounds). For a window, a customer's total is at most
-- its listed totals plus the bounds of the days it is not listed on; the customers that could
-- still reach the n-th place are few, and their exact totals are read from the facts by
-- (order_date, customer_key), one index lookup per day. When the bounds cannot settle the
-- ranking, the report aggregates the facts as before: the answer is exact either way.
--
-- Kept inside every changing transaction: a first load writes the lists from the rows it
-- streamed (the loader); every later change goes through statement-level triggers on the facts,
-- which move listed totals by what the statement changed and look up the day total of a customer
-- not listed only when it rose.

-- The date index gains customer_key as a key column: a customer's total on a day is one lookup.
-- Same size and build time; range scans over dates read it as before.
drop index warehouse.fact_orders_order_date_idx;
create index fact_orders_order_date_idx
    on warehouse.fact_orders (order_date, customer_key) include (price);

create table reporting.day_leaders (
    order_date date not null,
    customer_key integer not null,
    total_value numeric(20, 2) not null,
    primary key (order_date, customer_key)
);

comment on table reporting.day_leaders is
    'Per order day, the customers who spent the most that day, with their exact day total (removed orders excluded).';

create table reporting.day_leader_bounds (
    order_date date primary key,
    unlisted_max numeric(20, 2) not null check (unlisted_max >= 0)
);

comment on table reporting.day_leader_bounds is
    'Per order day with orders: no customer missing from reporting.day_leaders for that day spent more than unlisted_max that day.';

-- How many customers a day lists after it is pruned, and how many it may hold before that.
create function reporting.day_leader_depth() returns integer language sql immutable as 'select 200';
create function reporting.day_leader_limit() returns integer language sql immutable as 'select 400';

-- Lists every day again from the facts: here once, and on a first load whose repeated ids changed
-- rows after landing.
create function reporting.recompute_day_leaders()
returns void
language sql
set work_mem = '256MB'
as $$
    delete from reporting.day_leaders;
    delete from reporting.day_leader_bounds;

    with per_day as (
        select order_date, customer_key, sum(price) as total_value,
               row_number() over (partition by order_date order by sum(price) desc, customer_key) as place
        from warehouse.fact_orders
        group by order_date, customer_key
    ),

    listed as (
        insert into reporting.day_leaders (order_date, customer_key, total_value)
        select order_date, customer_key, total_value
        from per_day
        where place <= reporting.day_leader_depth()
    )

    insert into reporting.day_leader_bounds (order_date, unlisted_max)
    select order_date, coalesce(max(total_value) filter (where place > reporting.day_leader_depth()), 0)
    from per_day
    group by order_date;
$$;

select reporting.recompute_day_leaders();

-- Brings the lists in step with a statement's changes: per (day, customer), how much its day total
-- changed (the rows added, less the rows removed). A listed customer's exact total moves by the
-- change. A day whose bound is 0 lists every customer it has (a day new to the lists has none), so
-- its list plus the changes are all its totals: they are ranked again, the best day_leader_depth()
-- listed and the next one's total made the bound. Elsewhere a customer not listed had at most the
-- day's bound: a fall keeps it under; a rise is looked up (in index order) and listed when it
-- passes the bound. A day holding more than day_leader_limit() customers is cut back to
-- day_leader_depth(), its bound raised to the largest total it dropped.
create function reporting.settle_day_leaders(days date[], customers integer[], changes numeric[])
returns void
language plpgsql
as $$
declare
    -- The distinct days (days holds one per pair): `= any` over a variable array is a linear search.
    touched date[] := array(select distinct d from unnest(days) as d);
    complete date[];
    listed_days date[];
    listed_customers integer[];
    listed_totals numeric[];
    emptied date[];
begin
    insert into reporting.day_leader_bounds (order_date, unlisted_max)
    select d, 0 from unnest(touched) as d
    on conflict (order_date) do nothing;

    select coalesce(array_agg(b.order_date), '{}') into complete
    from reporting.day_leader_bounds as b
    where b.order_date = any (touched) and b.unlisted_max = 0;

    with gone as (
        delete from reporting.day_leaders as l
        using unnest(complete) as c (order_date)
        where l.order_date = c.order_date
        returning l.order_date, l.customer_key, l.total_value
    )
    select coalesce(array_agg(order_date), '{}'), coalesce(array_agg(customer_key), '{}'), coalesce(array_agg(total_value), '{}')
    into listed_days, listed_customers, listed_totals
    from gone;

    with delta as materialized (
        select d as order_date, c as customer_key, sum(v) as change
        from unnest(days, customers, changes) as u(d, c, v)
        group by d, c
        having sum(v) <> 0
    ),

    updated as (
        update reporting.day_leaders as l
        set total_value = l.total_value + delta.change
        from delta
        where l.order_date = delta.order_date and l.customer_key = delta.customer_key
    ),

    ranked as materialized (
        select order_date, customer_key, sum(v) as total_value,
               row_number() over (partition by order_date order by sum(v) desc, customer_key) as place
        from (
            select * from unnest(listed_days, listed_customers, listed_totals) as k(order_date, customer_key, v)
            union all
            select delta.order_date, delta.customer_key, delta.change from delta where delta.order_date = any (complete)
        ) as totals
        group by order_date, customer_key
    ),

    ranked_bounds as (
        update reporting.day_leader_bounds as b
        set unlisted_max = r.total_value
        from ranked as r
        where r.order_date = b.order_date and r.place = reporting.day_leader_depth() + 1
    ),

    rises as materialized (
        select delta.order_date, delta.customer_key, b.unlisted_max
        from delta
        join reporting.day_leader_bounds as b using (order_date)
        where delta.change > 0
          and not (delta.order_date = any (complete))
          and not exists (select from reporting.day_leaders as l
                          where l.order_date = delta.order_date and l.customer_key = delta.customer_key)
        order by delta.order_date, delta.customer_key
    ),

    exact as (
        select r.order_date, r.customer_key, r.unlisted_max,
               (select coalesce(sum(f.price), 0) from warehouse.fact_orders as f
                where f.order_date = r.order_date and f.customer_key = r.customer_key) as total_value
        from rises as r
    )

    insert into reporting.day_leaders (order_date, customer_key, total_value)
    select r.order_date, r.customer_key, r.total_value
    from ranked as r
    where r.place <= reporting.day_leader_depth() and r.total_value > 0
    union all
    select e.order_date, e.customer_key, e.total_value
    from exact as e
    where e.total_value > e.unlisted_max;

    with crowded as (
        select l.order_date
        from reporting.day_leaders as l
        join unnest(touched) as t (order_date) using (order_date)
        group by l.order_date
        having count(*) > reporting.day_leader_limit()
    ),

    ranked as (
        select l.order_date, l.customer_key, l.total_value,
               row_number() over (partition by l.order_date order by l.total_value desc, l.customer_key) as place
        from reporting.day_leaders as l
        join crowded using (order_date)
    ),

    dropped as (
        delete from reporting.day_leaders as l
        using ranked as r
        where r.place > reporting.day_leader_depth()
          and l.order_date = r.order_date and l.customer_key = r.customer_key
        returning l.order_date, l.total_value
    )

    update reporting.day_leader_bounds as b
    set unlisted_max = greatest(b.unlisted_max, g.largest)
    from (select order_date, max(total_value) as largest from dropped group by order_date) as g
    where b.order_date = g.order_date;

    -- A day left without orders keeps no list (and, listed again, starts from an empty one).
    emptied := array(select t.d from unnest(touched) as t (d)
                     where not exists (select from warehouse.fact_orders as f where f.order_date = t.d));
    if cardinality(emptied) > 0 then
        delete from reporting.day_leader_bounds where order_date = any (emptied);
        delete from reporting.day_leaders where order_date = any (emptied);
    end if;
end;
$$;

create function reporting.track_day_leaders()
returns trigger
language plpgsql
as $$
begin
    if tg_op = 'TRUNCATE' then
        delete from reporting.day_leaders;
        delete from reporting.day_leader_bounds;
        return null;
    end if;
    if tg_op = 'INSERT' then
        perform reporting.settle_day_leaders(array_agg(order_date), array_agg(customer_key), array_agg(price)) from new_rows;
    elsif tg_op = 'DELETE' then
        perform reporting.settle_day_leaders(array_agg(order_date), array_agg(customer_key), array_agg(-price)) from old_rows;
    else
        -- Only rows whose day, customer or price changed move a total: the others cancel out here.
        perform reporting.settle_day_leaders(array_agg(order_date), array_agg(customer_key), array_agg(change))
        from ((select order_date, customer_key, price as change from new_rows
               except all
               select order_date, customer_key, price from old_rows)
              union all
              (select order_date, customer_key, -price from (
                   select order_date, customer_key, price from old_rows
                   except all
                   select order_date, customer_key, price from new_rows) as gone)) as changed;
    end if;
    return null;
end;
$$;

create trigger fact_orders_day_leaders_insert
    after insert on warehouse.fact_orders
    referencing new table as new_rows
    for each statement execute function reporting.track_day_leaders();

create trigger fact_orders_day_leaders_update
    after update on warehouse.fact_orders
    referencing old table as old_rows new table as new_rows
    for each statement execute function reporting.track_day_leaders();

create trigger fact_orders_day_leaders_delete
    after delete on warehouse.fact_orders
    referencing old table as old_rows
    for each statement execute function reporting.track_day_leaders();

create trigger fact_orders_day_leaders_truncate
    after truncate on warehouse.fact_orders
    for each statement execute function reporting.track_day_leaders();

-- Report 3: from the kept weeks (migration 0007) when the window is one, else from the lists when
-- they settle it, else aggregated from the facts.
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
        select f.customer_key, sum(f.price) as total_value, count(*) as order_count
        from unnest(contenders) as c (customer_key)
        cross join generate_series(first_day, top_customers.as_of, interval '1 day') as d (day)
        join warehouse.fact_orders as f on f.order_date = d.day::date and f.customer_key = c.customer_key
        group by f.customer_key
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
