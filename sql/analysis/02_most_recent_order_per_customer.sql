-- Report 2: each customer's most recent order, most recently active customers first.
-- Two orders on the same latest day: the one with the higher order_id counts as the latest.
--
--   psql "$DATABASE_URL" -f sql/analysis/02_most_recent_order_per_customer.sql
--
-- Reads reporting.most_recent_order_per_customer, a view over the summary table that every
-- load maintains. `warehouse report most-recent-order` runs the same query with bound
-- parameters; a test keeps the two identical.

-- The title is set quietly, so that it shows above the table and not as a "Title is" line.
\set report_quiet :QUIET
\set QUIET on
\pset title 'Most recent order per customer'
\set QUIET :report_quiet

select
    customer_name,
    order_id,
    order_date,
    product_id,
    price,
    passenger_count
from reporting.most_recent_order_per_customer
order by order_date desc, order_id desc;

\set QUIET on
\pset title
\set QUIET :report_quiet
