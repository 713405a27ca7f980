-- Bulk path, after landing: drop the batch id defaults 05_bulk_prepare.sql set, and build the
-- indexes it dropped in one sorted pass each. A repeated order_id would fail here, but the loader
-- has settled repeats already.

alter table warehouse.fact_orders
    alter column inserted_batch_id drop default,
    alter column updated_batch_id drop default,
    add constraint fact_orders_pkey primary key (order_id);

create index fact_orders_order_date_idx
    on warehouse.fact_orders (order_date, customer_key) include (price);

analyze warehouse.fact_orders;
