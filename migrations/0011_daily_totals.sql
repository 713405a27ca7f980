-- Orders and revenue per order day, for the dashboard's trend chart (the last 30 and 90 days to
-- the as-of date) and for psql. Reading 90 days is 90 index lookups instead of aggregating
-- hundreds of thousands of facts.
--
-- Statement-level triggers on warehouse.fact_orders keep it in step with every change, inside the
-- changing transaction: a load's merge (a few thousand changed rows, summed per day from the
-- statement's transition tables), a correction made by hand in psql, a TRUNCATE. A first load,
-- which copies millions of rows into the empty table, switches the triggers off meanwhile and
-- writes the days from sums the loader streamed (sql/transform/05_bulk_prepare.sql,
-- 25_bulk_finish.sql).
create table reporting.daily_totals (
    order_date date primary key,
    orders bigint not null check (orders >= 0),
    revenue numeric(20, 2) not null
);

comment on table reporting.daily_totals is
    'Per order day: how many current orders, and their summed price. Removed orders do not count. Days without orders have no row.';

-- Sums every day again from the facts: here once, and on a first load whose repeated ids changed
-- rows after landing (sql/transform/26_bulk_daily_totals.sql).
create function reporting.recompute_daily_totals()
returns void
language sql
as $$
    delete from reporting.daily_totals;

    insert into reporting.daily_totals (order_date, orders, revenue)
    select order_date, count(*), sum(price)
    from warehouse.fact_orders
    group by order_date;
$$;

select reporting.recompute_daily_totals();

-- Adds per-day changes (negative for orders that left a day); a day left with no order goes.
-- Updates first, then inserts the new days: an upsert would check a negative change row
-- against the table's constraint before finding the day it belongs to.
create function reporting.add_to_daily_totals(days date[], order_changes bigint[], revenue_changes numeric[])
returns void
language sql
as $$
    with delta as (
        select d as order_date, sum(o) as orders, sum(r) as revenue
        from unnest(days, order_changes, revenue_changes) as u(d, o, r)
        group by d
        having sum(o) <> 0 or sum(r) <> 0
    ),

    updated as (
        update reporting.daily_totals as t
        set orders = t.orders + delta.orders,
            revenue = t.revenue + delta.revenue
        from delta
        where t.order_date = delta.order_date
        returning t.order_date
    )

    insert into reporting.daily_totals (order_date, orders, revenue)
    select delta.order_date, delta.orders, delta.revenue
    from delta
    where delta.order_date not in (select order_date from updated);

    delete from reporting.daily_totals where orders = 0;
$$;

-- One function for the four triggers: the rows a statement removed count out, the rows it
-- added count in, each summed per day first.
create function reporting.track_daily_totals()
returns trigger
language plpgsql
as $$
begin
    if tg_op = 'TRUNCATE' then
        delete from reporting.daily_totals;
        return null;
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        perform reporting.add_to_daily_totals(array_agg(order_date), array_agg(-orders), array_agg(-revenue))
        from (select order_date, count(*) as orders, sum(price) as revenue from old_rows group by order_date) as gone;
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        perform reporting.add_to_daily_totals(array_agg(order_date), array_agg(orders), array_agg(revenue))
        from (select order_date, count(*) as orders, sum(price) as revenue from new_rows group by order_date) as came;
    end if;
    return null;
end;
$$;

create trigger fact_orders_daily_totals_insert
    after insert on warehouse.fact_orders
    referencing new table as new_rows
    for each statement execute function reporting.track_daily_totals();

create trigger fact_orders_daily_totals_update
    after update on warehouse.fact_orders
    referencing old table as old_rows new table as new_rows
    for each statement execute function reporting.track_daily_totals();

create trigger fact_orders_daily_totals_delete
    after delete on warehouse.fact_orders
    referencing old table as old_rows
    for each statement execute function reporting.track_daily_totals();

create trigger fact_orders_daily_totals_truncate
    after truncate on warehouse.fact_orders
    for each statement execute function reporting.track_daily_totals();

-- Every day of the window, oldest first, days without orders as zeros.
create function reporting.daily_trend(as_of date, days integer)
returns table (order_date date, orders bigint, revenue numeric)
language sql stable
as $$
    select d.day, coalesce(t.orders, 0), coalesce(t.revenue, 0)
    from (select daily_trend.as_of - g as day from generate_series(0, daily_trend.days - 1) as g) as d
    left join reporting.daily_totals as t on t.order_date = d.day
    order by d.day
$$;

comment on function reporting.daily_trend(date, integer) is
    'Orders and revenue for each of the days days ending on as_of (inclusive), zeros for days without orders.';
