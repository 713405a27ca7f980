-- Bulk path, before landing: fact_orders is empty, so the loader copies rows straight into it.
-- Indexes are built once at the end (25_bulk_finish.sql) instead of being maintained row by
-- row, which costs several times more (docs/loads.md). Dropping them takes an exclusive lock on
-- the empty table until commit; readers of an empty warehouse wait for its first load.
-- TRUNCATE (of an empty table) lets a server with wal_level = minimal, as the embedded cluster
-- runs, skip WAL for the COPY and the index builds: the files are synced at commit instead.

truncate warehouse.fact_orders;
-- Per-day totals (migration 0011) are written once at the end (after repeated ids are settled)
-- instead of from transition tables holding every copied row.
alter table warehouse.fact_orders disable trigger fact_orders_daily_totals_insert;
alter table warehouse.fact_orders disable trigger fact_orders_daily_totals_update;
alter table warehouse.fact_orders disable trigger fact_orders_daily_totals_delete;
-- So are each day's biggest customers (migration 0012).
alter table warehouse.fact_orders disable trigger fact_orders_day_leaders_insert;
alter table warehouse.fact_orders disable trigger fact_orders_day_leaders_update;
alter table warehouse.fact_orders disable trigger fact_orders_day_leaders_delete;
-- And each day's customers (migration 0013).
alter table warehouse.fact_orders disable trigger fact_orders_day_customers_insert;
alter table warehouse.fact_orders disable trigger fact_orders_day_customers_update;
alter table warehouse.fact_orders disable trigger fact_orders_day_customers_delete;
alter table warehouse.fact_orders drop constraint fact_orders_pkey;
drop index warehouse.fact_orders_order_date_idx;

-- The report tables are rebuilt from this load.
truncate reporting.customer_order_totals, reporting.customer_latest_order;
