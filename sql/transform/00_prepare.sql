-- Step 0, first in every load's transaction: settings for this transaction only, empty landing
-- tables, and the scratch tables the later steps share (dropped at commit or rollback).

-- Large enough that the merge's hash join of the snapshot against the facts stays in memory.
set local work_mem = '512MB';
set local maintenance_work_mem = '1GB';

truncate staging.orders, staging.new_customers, staging.new_products, staging.new_dates;

-- Customers whose report rows this load must recompute.
create temp table load_touched (customer_key integer primary key) on commit drop;

-- Known orders a full snapshot did not list, found by the loader while streaming.
create temp table load_removed_ids (order_id bigint primary key) on commit drop;

-- The touched customers' report rows, when the loader computed them from what it streamed.
create temp table load_customer_totals (like reporting.customer_order_totals) on commit drop;
create temp table load_customer_latest (like reporting.customer_latest_order) on commit drop;

-- Every dimension key this load wrote into a fact row, for the integrity step.
create temp table load_used_keys (dimension text not null, key integer not null) on commit drop;
