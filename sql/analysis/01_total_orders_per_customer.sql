-- Report 1: every customer with the number and value of their orders, most orders first.
--
--   psql "$DATABASE_URL" -f sql/analysis/01_total_orders_per_customer.sql
--   psql "$DATABASE_URL" -v limit=10 -f sql/analysis/01_total_orders_per_customer.sql
--   psql "$DATABASE_URL" -v at_batch=3 -f sql/analysis/01_total_orders_per_customer.sql   # as right after batch 3
--
-- Reads reporting.total_orders_per_customer, a view over the summary table that every load
-- maintains, so it costs a scan of one row per customer rather than of every fact.
-- `warehouse report total-orders` runs this file's statement itself, the variables bound as
-- parameters, so the two cannot differ.

\if :{?limit}
\else
\set limit ''
\endif

-- The title is set quietly, so that it shows above the table and not as a "Title is" line.
\set report_quiet :QUIET
\set QUIET on
\pset title 'Total orders per customer'
\set QUIET :report_quiet

-- Values are bound as literals (:'name'), never pasted as SQL text; an empty limit is no limit.
\if :{?at_batch}
select
    customer_name,
    total_orders,
    total_value,
    first_order_date,
    last_order_date
from reporting.total_orders_per_customer_at_batch(:'at_batch'::bigint)
order by total_orders desc, customer_name
limit nullif(:'limit', '')::bigint;
\else
select
    customer_name,
    total_orders,
    total_value,
    first_order_date,
    last_order_date
from reporting.total_orders_per_customer
order by total_orders desc, customer_name
limit nullif(:'limit', '')::bigint;
\endif

\set QUIET on
\pset title
\set QUIET :report_quiet
