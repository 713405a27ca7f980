-- Bulk path, after the report rows are written: the keys and indexes 05_bulk_prepare.sql dropped, as
-- migrations 0005 and 0006 define them (IngestTests checks that a first load leaves every index as the
-- migrations made it).
alter table reporting.customer_order_totals add constraint customer_order_totals_pkey primary key (customer_key);
alter table reporting.customer_latest_order add constraint customer_latest_order_pkey primary key (customer_key);
create index customer_order_totals_ranking_idx
    on reporting.customer_order_totals (order_count desc, customer_key);
create index customer_latest_order_recent_idx
    on reporting.customer_latest_order (order_date desc, order_id desc);
-- The per-day tables' keys, as migrations 0012 and 0013 define them.
alter table reporting.day_leaders add constraint day_leaders_pkey primary key (order_date, customer_key);
alter table reporting.day_customers add constraint day_customers_pkey primary key (order_date, chunk);
