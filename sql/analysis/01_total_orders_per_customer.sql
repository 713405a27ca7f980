-- Report 1: every customer with the number and value of their orders, most orders first.
--
--   psql "$DATABASE_URL" -f sql/analysis/01_total_orders_per_customer.sql
--
-- Reads reporting.total_orders_per_customer, a view over the summary table that every load
-- maintains, so it costs a scan of one row per customer rather than of every fact.
-- `warehouse report total-orders` runs the same query with bound parameters; a test keeps
-- the two identical (Tests/WarehouseCLITests/ReportMatchesPsqlTests.swift).

-- The title is set quietly, so that it shows above the table and not as a "Title is" line.
\set report_quiet :QUIET
\set QUIET on
\pset title 'Total orders per customer'
\set QUIET :report_quiet

select
    customer_name,
    total_orders,
    total_value,
    first_order_date,
    last_order_date
from reporting.total_orders_per_customer
order by total_orders desc, customer_name;

\set QUIET on
\pset title
\set QUIET :report_quiet
