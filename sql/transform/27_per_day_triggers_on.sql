-- After the per-day tables were written from the streamed rows (or recomputed from the facts):
-- the triggers that keep them in step with later changes are switched back on
-- (15_per_day_triggers_off.sql).
alter table warehouse.fact_orders enable trigger fact_orders_daily_totals_insert;
alter table warehouse.fact_orders enable trigger fact_orders_daily_totals_update;
alter table warehouse.fact_orders enable trigger fact_orders_daily_totals_delete;
alter table warehouse.fact_orders enable trigger fact_orders_day_leaders_insert;
alter table warehouse.fact_orders enable trigger fact_orders_day_leaders_update;
alter table warehouse.fact_orders enable trigger fact_orders_day_leaders_delete;
alter table warehouse.fact_orders enable trigger fact_orders_day_customers_insert;
alter table warehouse.fact_orders enable trigger fact_orders_day_customers_update;
alter table warehouse.fact_orders enable trigger fact_orders_day_customers_delete;
alter table warehouse.fact_orders enable trigger fact_orders_block_leaders_insert;
alter table warehouse.fact_orders enable trigger fact_orders_block_leaders_update;
alter table warehouse.fact_orders enable trigger fact_orders_block_leaders_delete;
