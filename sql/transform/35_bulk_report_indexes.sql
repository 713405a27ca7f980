-- Bulk path, after the report rows are written: the indexes 05_bulk_prepare.sql dropped, as
-- migration 0006 defines them (IngestTests checks that a first load leaves every index as the
-- migrations made it).
create index customer_order_totals_ranking_idx
    on reporting.customer_order_totals (order_count desc, customer_key);
create index customer_latest_order_recent_idx
    on reporting.customer_latest_order (order_date desc, order_id desc);
