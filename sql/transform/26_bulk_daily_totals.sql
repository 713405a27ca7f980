-- Bulk path, when repeated order_ids changed rows after landing (so the loader's streamed sums
-- no longer match the facts): orders and revenue per day (migration 0011), summed from the facts.

select reporting.recompute_daily_totals();
