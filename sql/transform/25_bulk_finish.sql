-- Bulk path, after landing: build the indexes dropped by 05_bulk_prepare.sql in one sorted pass
-- each. A repeated order_id would fail here, but the loader has settled repeats already.

alter table warehouse.fact_orders add constraint fact_orders_pkey primary key (order_id);

create index fact_orders_order_date_idx
    on warehouse.fact_orders (order_date, customer_key) include (price);

analyze warehouse.fact_orders;
