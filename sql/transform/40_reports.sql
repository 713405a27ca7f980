-- Step 4: bring the per-customer report tables up to date for the customers this load touched.
-- Row-level changes inside the load's transaction: readers keep seeing the previous numbers
-- until commit and are never blocked.

delete from reporting.customer_order_totals as t
using load_touched as u
where t.customer_key = u.customer_key;

insert into reporting.customer_order_totals (customer_key, order_count, total_value, first_order_date, last_order_date)
select f.customer_key, count(*), sum(f.price), min(f.order_date), max(f.order_date)
from warehouse.fact_orders as f
where f.customer_key in (select customer_key from load_touched)
group by f.customer_key;

delete from reporting.customer_latest_order as l
using load_touched as u
where l.customer_key = u.customer_key;

-- Ties on date go to the higher order_id.
insert into reporting.customer_latest_order (customer_key, order_id, order_date, product_key, price, passenger_count)
select distinct on (f.customer_key)
    f.customer_key, f.order_id, f.order_date, f.product_key, f.price, f.passenger_count
from warehouse.fact_orders as f
where f.customer_key in (select customer_key from load_touched)
order by f.customer_key, f.order_date desc, f.order_id desc;
