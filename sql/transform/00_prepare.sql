-- Step 0, first in every load's transaction: settings for this transaction only, empty landing
-- tables, and the scratch tables the later steps share (dropped at commit or rollback).

-- Large enough that the merge's hash join of the snapshot against the facts stays in memory.
set local work_mem = '512MB';
set local maintenance_work_mem = '1GB';

-- DELETE, not TRUNCATE: these tables are unlogged, and TRUNCATE gives an unlogged table new
-- files (with an "init fork") inside this transaction. If the server is killed before the next
-- checkpoint, PostgreSQL's crash recovery then fails its first start with
-- `could not create file "base/…": File exists` (PostgreSQL bug #17731; a second start works).
-- DELETE keeps the same files and, on unlogged tables, writes no WAL. Autovacuum frees the
-- deleted rows after the load commits and a later load's COPY reuses the space, so
-- staging.orders settles at about two loads' rows on disk.
delete from staging.orders;
delete from staging.new_customers;
delete from staging.new_products;
delete from staging.new_dates;

-- Customers whose report rows this load must recompute.
create temp table load_touched (customer_key integer primary key) on commit drop;

-- Known orders a full snapshot did not list, found by the loader while streaming.
create temp table load_removed_ids (order_id bigint primary key) on commit drop;

-- Every dimension key this load wrote into a fact row, for the integrity step.
create temp table load_used_keys (dimension text not null, first_key integer not null, last_key integer not null) on commit drop;
