-- Before a load that writes the per-day tables itself (migrations 0011-0013: orders and revenue,
-- biggest customers and customers of each day; 0015: biggest customers of blocks of days) from
-- the rows it streamed: a first load, and a full snapshot's merge. Their triggers would otherwise
-- maintain them statement by statement from transition tables, at several times the cost
-- (docs/loads.md). Switched back on by 27_per_day_triggers_on.sql before the load commits; a
-- load that fails rolls this back too. ALTER TABLE ... DISABLE TRIGGER takes the same lock a
-- merge already holds (SHARE ROW EXCLUSIVE): readers are not blocked.
alter table warehouse.fact_orders disable trigger fact_orders_daily_totals_insert;
alter table warehouse.fact_orders disable trigger fact_orders_daily_totals_update;
alter table warehouse.fact_orders disable trigger fact_orders_daily_totals_delete;
alter table warehouse.fact_orders disable trigger fact_orders_day_leaders_insert;
alter table warehouse.fact_orders disable trigger fact_orders_day_leaders_update;
alter table warehouse.fact_orders disable trigger fact_orders_day_leaders_delete;
alter table warehouse.fact_orders disable trigger fact_orders_day_customers_insert;
alter table warehouse.fact_orders disable trigger fact_orders_day_customers_update;
alter table warehouse.fact_orders disable trigger fact_orders_day_customers_delete;
alter table warehouse.fact_orders disable trigger fact_orders_block_leaders_insert;
alter table warehouse.fact_orders disable trigger fact_orders_block_leaders_update;
alter table warehouse.fact_orders disable trigger fact_orders_block_leaders_delete;
