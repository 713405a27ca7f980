-- Step 2: merge the landed orders into fact_orders, touching only what changed.
-- Changed orders are found by comparing every column exactly and then updated in one
-- statement (an upsert with ON CONFLICT would lock and rewrite every unchanged row too);
-- new orders are inserted; everything else is left alone. load_touched collects the
-- customers whose report rows must be recomputed (both sides of a customer change).

create temp table load_changed on commit drop as
select
    s.order_id,
    s.customer_key,
    s.product_key,
    s.date_key,
    s.order_date,
    s.price,
    s.passenger_count,
    f.customer_key as previous_customer_key
from staging.orders as s
join warehouse.fact_orders as f using (order_id)
where (f.customer_key, f.product_key, f.order_date, f.price, f.passenger_count)
    is distinct from (s.customer_key, s.product_key, s.order_date, s.price, s.passenger_count);

create temp table load_counts (inserted bigint, updated bigint) on commit drop;

update warehouse.fact_orders as f
set customer_key = c.customer_key,
    product_key = c.product_key,
    date_key = c.date_key,
    order_date = c.order_date,
    price = c.price,
    passenger_count = c.passenger_count,
    updated_batch_id = current_setting('warehouse.batch_id')::bigint
from load_changed as c
where f.order_id = c.order_id;

with inserted as (
    insert into warehouse.fact_orders (
        order_id, customer_key, product_key, date_key, order_date, price, passenger_count,
        inserted_batch_id, updated_batch_id
    )
    select
        s.order_id, s.customer_key, s.product_key, s.date_key, s.order_date, s.price, s.passenger_count,
        current_setting('warehouse.batch_id')::bigint, current_setting('warehouse.batch_id')::bigint
    from staging.orders as s
    where not exists (select 1 from warehouse.fact_orders as f where f.order_id = s.order_id)
    returning customer_key
),

touched as (
    insert into load_touched (customer_key)
    select customer_key from inserted
    union
    select customer_key from load_changed
    union
    select previous_customer_key from load_changed
    on conflict do nothing
)

insert into load_counts (inserted, updated)
select (select count(*) from inserted), (select count(*) from load_changed);

select inserted, updated from load_counts;
