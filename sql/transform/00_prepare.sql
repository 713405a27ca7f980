-- Step 0, first in every load's transaction: settings for this transaction only, empty landing
-- tables, and the scratch tables the later steps share (dropped at commit or rollback).

-- Large enough that the merge's hash join of the snapshot against the facts stays in memory.
set local work_mem = '512MB';
-- Index builds (a first load's two fact indexes): 32 MB for each process that sorts, the leader
-- and its max_parallel_maintenance_workers helpers (PostgreSQL gives a helper no less). Sort runs
-- that small, merged afterwards, beat one large in-memory sort: at 5M orders the date index took
-- 1.48-1.56 s with 64 MB for two processes against 1.86-1.89 s with 1 GB (and 1.63 s with 96 MB
-- for three processes on two cores; below 32 MB each, no helper at all: 2.2-2.7 s).
select set_config('maintenance_work_mem',
                  (32 * (1 + current_setting('max_parallel_maintenance_workers')::int))::text || 'MB', true);

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
