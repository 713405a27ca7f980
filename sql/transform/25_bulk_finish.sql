-- Bulk path, after landing: build the indexes dropped by 05_bulk_prepare.sql in one sorted pass
-- each. A repeated order_id would fail here, but the loader has settled repeats already.

alter table warehouse.fact_orders add constraint fact_orders_pkey primary key (order_id);

create index fact_orders_order_date_idx
    on warehouse.fact_orders (order_date, customer_key) include (price);

analyze warehouse.fact_orders;

-- Per-day totals, leaders and customers (migrations 0011-0013): the triggers that keep them in
-- step with later changes are switched back on; this load's come from the loader's streamed sums,
-- or from the facts (26_bulk_daily_totals.sql, the recompute functions) when repeated ids changed
-- rows after landing.
alter table warehouse.fact_orders enable trigger fact_orders_daily_totals_insert;
alter table warehouse.fact_orders enable trigger fact_orders_daily_totals_update;
alter table warehouse.fact_orders enable trigger fact_orders_daily_totals_delete;
alter table warehouse.fact_orders enable trigger fact_orders_day_leaders_insert;
alter table warehouse.fact_orders enable trigger fact_orders_day_leaders_update;
alter table warehouse.fact_orders enable trigger fact_orders_day_leaders_delete;
alter table warehouse.fact_orders enable trigger fact_orders_day_customers_insert;
alter table warehouse.fact_orders enable trigger fact_orders_day_customers_update;
alter table warehouse.fact_orders enable trigger fact_orders_day_customers_delete;
