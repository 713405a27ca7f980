-- Report 2: each customer's most recent order, most recently active customers first.
-- Two orders on the same latest day: the one with the higher order_id counts as the latest.
--
--   psql "$DATABASE_URL" -f sql/analysis/02_most_recent_order_per_customer.sql
--   psql "$DATABASE_URL" -v limit=10 -f sql/analysis/02_most_recent_order_per_customer.sql
--   psql "$DATABASE_URL" -v at_batch=3 -f sql/analysis/02_most_recent_order_per_customer.sql
--
-- Reads reporting.most_recent_order_per_customer, a view over the summary table that every
-- load maintains. `warehouse report most-recent-order` runs this file's statement itself, the
-- variables bound as parameters.

\if :{?limit}
\else
\set limit ''
\endif

-- The title is set quietly, so that it shows above the table and not as a "Title is" line.
\set report_quiet :QUIET
\set QUIET on
\pset title 'Most recent order per customer'
\set QUIET :report_quiet

-- Values are bound as literals (:'name'), never pasted as SQL text; an empty limit is no limit.
\if :{?at_batch}
select
    customer_name,
    order_id,
    order_date,
    product_id,
    price,
    passenger_count
from reporting.most_recent_order_per_customer_at_batch(:'at_batch'::bigint)
order by order_date desc, order_id desc
limit nullif(:'limit', '')::bigint;
\else
select
    customer_name,
    order_id,
    order_date,
    product_id,
    price,
    passenger_count
from reporting.most_recent_order_per_customer
order by order_date desc, order_id desc
limit nullif(:'limit', '')::bigint;
\endif

\set QUIET on
\pset title
\set QUIET :report_quiet
