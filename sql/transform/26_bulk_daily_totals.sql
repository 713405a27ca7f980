-- Bulk path, when repeated order_ids changed rows after landing (so the rows the loader filed by
-- day no longer match the facts) or a row could not be filed: orders and revenue per day
-- (migration 0011), summed from the facts.

select reporting.recompute_daily_totals();
