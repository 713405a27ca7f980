-- A load that writes the per-day tables itself (a first load, a full snapshot's merge), when
-- repeated order_ids changed rows after landing (so the rows the loader filed by day no longer
-- match the facts) or a row could not be filed: orders and revenue per day (migration 0011),
-- summed from the facts; and no block of days keeps a list (migration 0015: reports then use the
-- days' lists, recomputed next, until the next load that writes them). (Named for the first load,
-- which used it alone at first.)

select reporting.recompute_daily_totals();
delete from reporting.block_leader_bounds;
delete from reporting.block_leaders;
