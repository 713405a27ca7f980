-- Bulk path, when repeated order_ids changed rows after landing (so the loader's streamed sums
-- no longer match the facts): orders and revenue per day (migration 0011), summed from the facts.

delete from reporting.daily_totals;

insert into reporting.daily_totals (order_date, orders, revenue)
select order_date, count(*), sum(price)
from warehouse.fact_orders
group by order_date;
