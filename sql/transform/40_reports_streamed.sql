-- Step 4 of a full snapshot's merge: the touched customers' report rows, computed by the loader
-- from every order the snapshot listed (load_customer_totals, load_customer_latest), replace
-- theirs. A customer left with no order has no row. Readers see the old rows until commit.

delete from reporting.customer_order_totals as t
using load_touched as u
where t.customer_key = u.customer_key;

insert into reporting.customer_order_totals (customer_key, order_count, total_value, first_order_date, last_order_date)
select customer_key, order_count, total_value, first_order_date, last_order_date
from load_customer_totals;

delete from reporting.customer_latest_order as l
using load_touched as u
where l.customer_key = u.customer_key;

insert into reporting.customer_latest_order (customer_key, order_id, order_date, product_key, price, passenger_count)
select customer_key, order_id, order_date, product_key, price, passenger_count
from load_customer_latest;
