-- The three reports. Per-customer figures are summary tables that every load maintains for the
-- customers it touched (rebuilding them from 5M facts each load costs seconds, see
-- docs/reports.md); the weekly report reads an index-only range of fact_orders instead.
-- Loads change these tables row by row inside their transaction, so readers never wait.

create table reporting.customer_order_totals (
    customer_key integer primary key,
    order_count bigint not null check (order_count > 0),
    total_value numeric(16, 2) not null,
    first_order_date date not null,
    last_order_date date not null
);

create table reporting.customer_latest_order (
    customer_key integer primary key,
    order_id bigint not null,
    order_date date not null,
    product_key smallint not null,
    price numeric(12, 2) not null,
    passenger_count integer not null
);

create view reporting.total_orders_per_customer as
select
    c.customer_name,
    t.order_count as total_orders,
    t.total_value,
    t.first_order_date,
    t.last_order_date,
    c.customer_key
from reporting.customer_order_totals as t
join warehouse.dim_customers as c using (customer_key);

comment on view reporting.total_orders_per_customer is 'Report 1: every customer with the number and value of their orders.';

-- Ties on date are broken by the higher order_id (the summary upkeep sorts that way).
create view reporting.most_recent_order_per_customer as
select
    c.customer_name,
    l.order_id,
    l.order_date,
    p.product_id,
    l.price,
    l.passenger_count,
    c.customer_key
from reporting.customer_latest_order as l
join warehouse.dim_customers as c using (customer_key)
join warehouse.dim_products as p using (product_key);

comment on view reporting.most_recent_order_per_customer is 'Report 2: each customer''s latest order (ties on date: higher order_id).';

-- The customers who brought the most value in the `days` days ending on `as_of`, inclusive.
-- n = null returns every customer with an order in the window.
create function reporting.top_customers(as_of date default current_date, days integer default 7, n integer default 10)
returns table (
    rank bigint,
    customer_name text,
    total_value numeric,
    order_count bigint,
    window_start date,
    window_end date
)
language sql stable
as $$
    with window_orders as (
        select f.customer_key, f.price
        from warehouse.fact_orders as f
        where f.order_date between as_of - (days - 1) and as_of
    ),

    per_customer as (
        select customer_key, sum(price) as total_value, count(*) as order_count
        from window_orders
        group by customer_key
    ),

    ranked as (
        select
            rank() over (order by p.total_value desc) as rank,
            c.customer_name,
            p.total_value,
            p.order_count
        from per_customer as p
        join warehouse.dim_customers as c using (customer_key)
    )

    select rank, customer_name, total_value, order_count, as_of - (days - 1), as_of
    from ranked
    order by rank, customer_name
    limit n
$$;

comment on function reporting.top_customers(date, integer, integer) is
    'Report 3 for any window: top n customers by value over the days ending on as_of (inclusive).';

-- Reads its as-of date from the session: SET warehouse.as_of = '2023-12-10'; else today.
create view reporting.top_customers_last_week as
select *
from reporting.top_customers(
    coalesce(nullif(current_setting('warehouse.as_of', true), '')::date, current_date), 7, null
);

comment on view reporting.top_customers_last_week is
    'Report 3: customers ranked by value over the 7 days ending on warehouse.as_of (default today), inclusive.';
