-- Step 4: bring the per-customer report tables up to date for the customers in load_touched
-- (changed by a merge, or whose rows the loader could not summarise itself on a bulk load).
-- One scan collects their orders; row-level changes inside the load's transaction mean
-- readers keep seeing the previous numbers until commit and are never blocked.

create temp table load_touched_orders on commit drop as
select f.customer_key, f.order_id, f.order_date, f.product_key, f.price, f.passenger_count
from warehouse.fact_orders as f
where f.customer_key in (select customer_key from load_touched);

delete from reporting.customer_order_totals as t
using load_touched as u
where t.customer_key = u.customer_key;

insert into reporting.customer_order_totals (customer_key, order_count, total_value, first_order_date, last_order_date)
select customer_key, count(*), sum(price), min(order_date), max(order_date)
from load_touched_orders
group by customer_key;

delete from reporting.customer_latest_order as l
using load_touched as u
where l.customer_key = u.customer_key;

-- Ties on date go to the higher order_id.
insert into reporting.customer_latest_order (customer_key, order_id, order_date, product_key, price, passenger_count)
select distinct on (customer_key)
    customer_key, order_id, order_date, product_key, price, passenger_count
from load_touched_orders
order by customer_key, order_date desc, order_id desc;

-- Fresh statistics, so the reports' ordered reads use their indexes right after a big load.
analyze reporting.customer_order_totals;
analyze reporting.customer_latest_order;
