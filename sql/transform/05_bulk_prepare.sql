-- Bulk path, before landing: fact_orders is empty, so the loader copies rows straight into it.
-- Indexes are built once at the end (25_bulk_finish.sql) instead of being maintained row by
-- row, which costs several times more (docs/loads.md). Dropping them takes an exclusive lock on
-- the empty table until commit; readers of an empty warehouse wait for its first load.
-- TRUNCATE (of an empty table) lets a server with wal_level = minimal, as the embedded cluster
-- runs, skip WAL for the COPY and the index builds: the files are synced at commit instead.

truncate warehouse.fact_orders;
alter table warehouse.fact_orders drop constraint fact_orders_pkey;
drop index warehouse.fact_orders_order_date_idx;

-- The report tables are rebuilt from this load.
truncate reporting.customer_order_totals, reporting.customer_latest_order;
