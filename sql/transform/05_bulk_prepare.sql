-- Bulk path, before landing: fact_orders is empty, so the loader copies rows straight into it.
-- Indexes are built once at the end (25_bulk_finish.sql) instead of being maintained row by
-- row, which costs several times more (docs/loads.md). Dropping them takes an exclusive lock on
-- the empty table until commit; readers of an empty warehouse wait for its first load.
-- TRUNCATE (of an empty table) lets a server with wal_level = minimal, as the embedded cluster
-- runs, skip WAL for the COPY and the index builds: the files are synced at commit instead.

truncate warehouse.fact_orders;
alter table warehouse.fact_orders drop constraint fact_orders_pkey;
drop index warehouse.fact_orders_order_date_idx;

-- Every row this load copies was inserted and last updated by this batch: the two columns take
-- it from their defaults instead of from each row (a tenth of the server's COPY), and
-- 25_bulk_finish.sql drops the defaults again. A constant, not current_setting() per row.
do $$
begin
    execute format('alter table warehouse.fact_orders alter column inserted_batch_id set default %s, '
                   'alter column updated_batch_id set default %s',
                   current_setting('warehouse.batch_id')::bigint, current_setting('warehouse.batch_id')::bigint);
end;
$$;

-- The report tables are rebuilt from this load, all their indexes afterwards in one sorted pass
-- each (35_bulk_report_indexes.sql): 200k random inserts into each secondary index cost 0.2 s
-- more at 5M, and keeping the primary keys while copying took 0.35 s for the two tables' 200k
-- rows against 0.18 s without them and 0.06 s for building them after. TRUNCATE already locks
-- them exclusively until commit.
truncate reporting.customer_order_totals, reporting.customer_latest_order;
alter table reporting.customer_order_totals drop constraint customer_order_totals_pkey;
alter table reporting.customer_latest_order drop constraint customer_latest_order_pkey;
drop index reporting.customer_order_totals_ranking_idx;
drop index reporting.customer_latest_order_recent_idx;
-- An empty customer dimension (a new warehouse) gets its members before its two indexes, which
-- 12_bulk_dimension_indexes.sql builds in one sorted pass each after 10_dimensions.sql: 200k
-- random inserts into the name index cost 0.4 s more at 5M orders. The members of a dimension
-- that already has some are added as on any load.
do $$
begin
    if not exists (select 1 from warehouse.dim_customers) then
        alter table warehouse.dim_customers
            drop constraint dim_customers_pkey,
            drop constraint dim_customers_customer_name_key;
    end if;
end;
$$;

-- The per-day and block tables (migrations 0011-0015) are empty too (fact_orders' TRUNCATE
-- triggers just emptied them by DELETE) and are written whole from this load's streamed rows.
-- TRUNCATE gives them new files that a wal_level = minimal server fills without WAL, and their
-- biggest keys are built after their rows, in one sorted pass each: at 1M orders the block lists'
-- 61k rows took 75 ms to copy with their index kept against 25 + 21 ms this way, the day
-- leaders' 36k rows 36 ms (docs/loads.md). Rebuilt by 35_bulk_report_indexes.sql and, for the
-- block lists, which are stored last, by 45_bulk_block_index.sql.
truncate reporting.daily_totals, reporting.day_leaders, reporting.day_leader_bounds, reporting.day_customers,
    reporting.block_leaders, reporting.block_leader_bounds;
alter table reporting.day_leaders drop constraint day_leaders_pkey;
alter table reporting.day_customers drop constraint day_customers_pkey;
drop index reporting.block_leaders_block_idx;
