-- Step 2: merge the landed orders into fact_orders, touching only what changed.
-- Changed orders are found by comparing every column exactly and then updated in one
-- statement (an upsert with ON CONFLICT would lock and rewrite every unchanged row too);
-- new orders are inserted; on a full snapshot, known orders it lacks are removed; everything
-- else is left alone. The version an order had before a change or a removal moves to
-- fact_order_history. load_touched collects the customers whose report rows must be
-- recomputed (both sides of a customer change, and the customers of removed orders).

-- The loader sends only new, changed and restored orders (it compares each row with the known
-- orders while streaming): fresh statistics make the joins below index lookups per landed row.
analyze staging.orders;

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

-- Known orders this full snapshot did not list (the loader sends none for incremental files
-- and API pulls).
create temp table load_removed on commit drop as
select f.*
from warehouse.fact_orders as f
join load_removed_ids as r using (order_id);

create temp table load_counts (inserted bigint, updated bigint, removed bigint, restored bigint) on commit drop;

insert into warehouse.fact_order_history (
    order_id, customer_key, product_key, date_key, order_date, price, passenger_count,
    valid_from_batch_id, valid_to_batch_id, ended_by
)
select f.order_id, f.customer_key, f.product_key, f.date_key, f.order_date, f.price, f.passenger_count,
       f.updated_batch_id, current_setting('warehouse.batch_id')::bigint, 'replaced'
from warehouse.fact_orders as f
join load_changed as c using (order_id)
union all
select r.order_id, r.customer_key, r.product_key, r.date_key, r.order_date, r.price, r.passenger_count,
       r.updated_batch_id, current_setting('warehouse.batch_id')::bigint, 'removed'
from load_removed as r;

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

delete from warehouse.fact_orders as f
using load_removed as r
where f.order_id = r.order_id;

-- New orders, and removed ones listed again (restored: they keep the batch that first inserted them).
with inserted as (
    insert into warehouse.fact_orders (
        order_id, customer_key, product_key, date_key, order_date, price, passenger_count,
        inserted_batch_id, updated_batch_id
    )
    select
        s.order_id, s.customer_key, s.product_key, s.date_key, s.order_date, s.price, s.passenger_count,
        coalesce(
            (select min(h.valid_from_batch_id) from warehouse.fact_order_history as h where h.order_id = s.order_id),
            current_setting('warehouse.batch_id')::bigint),
        current_setting('warehouse.batch_id')::bigint
    from staging.orders as s
    where not exists (select 1 from warehouse.fact_orders as f where f.order_id = s.order_id)
    returning customer_key, inserted_batch_id
),

touched as (
    insert into load_touched (customer_key)
    select customer_key from inserted
    union
    select customer_key from load_changed
    union
    select previous_customer_key from load_changed
    union
    select customer_key from load_removed
    on conflict do nothing
)

insert into load_counts (inserted, updated, removed, restored)
select
    (select count(*) from inserted where inserted_batch_id = current_setting('warehouse.batch_id')::bigint),
    (select count(*) from load_changed),
    (select count(*) from load_removed),
    (select count(*) from inserted where inserted_batch_id <> current_setting('warehouse.batch_id')::bigint);

select inserted, updated, removed, restored from load_counts;
