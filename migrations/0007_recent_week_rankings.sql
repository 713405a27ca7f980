-- The weekly report for the weeks people ask about, kept ready by every load (docs/reports.md).
--
-- Aggregating a busy week per customer costs hundreds of milliseconds at millions of facts no
-- matter how it is indexed: the work is one hash-aggregate group per customer in the window.
-- Almost every question is about the latest week (the data's last day, or today while the feed
-- is current) and the week before it (the dashboard's comparison), so each load that changes the
-- facts also computes those weeks once: their headline figures and the top of their ranking.
-- reporting.top_customers answers from them when it can and aggregates any other window as before.

-- One row per kept window: what it holds and the figures the dashboard headline shows.
create table reporting.window_summaries (
    window_end date not null,
    days integer not null check (days > 0),
    orders bigint not null check (orders >= 0),
    customers bigint not null check (customers >= 0),
    revenue numeric(16, 2) not null,
    -- The ranking keeps every customer valued at or above the ranked_depth-th customer's value
    -- (ties at the cut included), so any top n with n <= ranked_depth is exact.
    ranked_depth integer not null check (ranked_depth > 0),
    primary key (window_end, days)
);

comment on table reporting.window_summaries is
    'Windows precomputed by the last load that changed facts (see reporting.refresh_window_summaries).';

create table reporting.window_rankings (
    window_end date not null,
    days integer not null,
    customer_key integer not null,
    total_value numeric(16, 2) not null,
    order_count bigint not null,
    primary key (window_end, days, customer_key)
);

create index window_rankings_value_idx on reporting.window_rankings (window_end, days, total_value desc);

-- 0006's function, unchanged, under its own name: the on-demand path, and the reference the tests
-- compare the kept windows against. (Renamed, not copied: its body and SET clauses stay 0006's.)
alter function reporting.top_customers(date, integer, integer) rename to aggregate_top_customers;

comment on function reporting.aggregate_top_customers(date, integer, integer) is
    'Report 3 computed from fact_orders for any window (reporting.top_customers uses kept windows first).';

-- The windows a load keeps: 7 days ending on the latest order date and the week before it; and,
-- when today is later but its week still holds orders (a feed a day or two behind), today's week
-- and the week before that too. Nothing else is worth its cost: other windows are asked for rarely.
create function reporting.wanted_windows()
returns table (window_end date, days integer)
language sql stable
as $$
    with latest as (
        select max(order_date) as day from warehouse.fact_orders
    ),

    ends as (
        select l.day from latest as l where l.day is not null
        union
        select current_date from latest as l where current_date > l.day and current_date - 6 <= l.day
    )

    select e.day - weeks_back * 7, 7
    from ends as e
    cross join (values (0), (1)) as w (weeks_back)
$$;

-- Recomputes the kept windows. Called by every load before it commits (so readers switch from
-- the old figures to the new ones at commit and are never blocked) with facts_changed saying
-- whether the load inserted or changed any order; when it did not and the wanted windows are
-- the ones kept, nothing is done. Returns whether it recomputed.
create function reporting.refresh_window_summaries(facts_changed boolean default true, depth integer default 1000)
returns boolean
language plpgsql
set work_mem = '256MB'
set jit = off
as $$
declare
    wanted record;
begin
    if not facts_changed
       and not exists (
           (select w.window_end, w.days from reporting.wanted_windows() as w
            except select s.window_end, s.days from reporting.window_summaries as s)
           union all
           (select s.window_end, s.days from reporting.window_summaries as s
            except select w.window_end, w.days from reporting.wanted_windows() as w))
    then
        return false;
    end if;

    delete from reporting.window_rankings;
    delete from reporting.window_summaries;

    -- One aggregate per window feeds both tables; the depth-th value is found with a bounded
    -- top-n sort rather than by ranking every customer.
    for wanted in select * from reporting.wanted_windows() loop
        with per_customer as materialized (
            select f.customer_key, sum(f.price) as total_value, count(*) as order_count
            from warehouse.fact_orders as f
            where f.order_date between wanted.window_end - (wanted.days - 1) and wanted.window_end
            group by f.customer_key
        ),

        cutoff as (
            select p.total_value from per_customer as p order by p.total_value desc offset depth - 1 limit 1
        ),

        summary as (
            insert into reporting.window_summaries (window_end, days, orders, customers, revenue, ranked_depth)
            select wanted.window_end, wanted.days, coalesce(sum(p.order_count), 0), count(*),
                   coalesce(sum(p.total_value), 0), depth
            from per_customer as p
        )

        insert into reporting.window_rankings (window_end, days, customer_key, total_value, order_count)
        select wanted.window_end, wanted.days, p.customer_key, p.total_value, p.order_count
        from per_customer as p
        where not exists (select from cutoff) or p.total_value >= (select c.total_value from cutoff as c)
        order by p.total_value desc;
    end loop;
    return true;
end;
$$;

-- Same signature, columns, ranking and order as 0005/0006. A kept window answers any n up to its
-- depth by reading that many index entries; anything else is aggregated on demand. A window of
-- fewer than one day is now an error rather than an empty result.
create function reporting.top_customers(as_of date default current_date, days integer default 7, n integer default 10)
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
begin
    -- 0005/0006 returned nothing for such windows; an error says why.
    if top_customers.days is null or top_customers.days < 1 then
        raise exception 'reporting.top_customers: days must be at least 1, not %', coalesce(top_customers.days::text, 'null')
            using errcode = 'invalid_parameter_value';
    end if;

    if not exists (
        select from reporting.window_summaries as s
        where s.window_end = top_customers.as_of and s.days = top_customers.days
          and (s.customers <= s.ranked_depth or top_customers.n <= s.ranked_depth)
    ) then
        return query select * from reporting.aggregate_top_customers(top_customers.as_of, top_customers.days, top_customers.n);
        return;
    end if;

    return query
    with kept as (
        -- Every customer at or above the n-th value: the ranks among them are the ranks among all.
        select r.customer_key, r.total_value, r.order_count
        from reporting.window_rankings as r
        where r.window_end = top_customers.as_of and r.days = top_customers.days
        order by r.total_value desc
        fetch first coalesce(top_customers.n, 2147483647) rows with ties
    ),

    ranked as (
        select
            rank() over (order by k.total_value desc) as value_rank,
            d.customer_name,
            k.total_value,
            k.order_count
        from kept as k
        join warehouse.dim_customers as d using (customer_key)
    )

    select r.value_rank, r.customer_name, r.total_value::numeric, r.order_count,
           top_customers.as_of - (top_customers.days - 1), top_customers.as_of
    from ranked as r
    order by r.value_rank, r.customer_name
    limit top_customers.n;
end;
$$;

comment on function reporting.top_customers(date, integer, integer) is
    'Report 3 for any window: top n customers by value over the days ending on as_of (inclusive).';

-- A view refers to its function by identity, so the view still calls the renamed function: point it
-- at the new one (same definition as 0005).
create or replace view reporting.top_customers_last_week as
select *
from reporting.top_customers(
    coalesce(nullif(current_setting('warehouse.as_of', true), '')::date, current_date), 7, null
);

-- An existing warehouse gets its windows now; later loads keep them.
select reporting.refresh_window_summaries();
