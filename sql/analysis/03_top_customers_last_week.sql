-- Report 3: the customers who brought the most value (sum of price) in the `days` days ending
-- on `as_of`, both ends included; orders dated after as_of are ignored. Ranked by value, highest
-- first; customers with equal value share a rank and are listed by name.
--
--   psql "$DATABASE_URL" -f sql/analysis/03_top_customers_last_week.sql                 # today, 7 days
--   psql "$DATABASE_URL" -v as_of=2023-12-10 -f sql/analysis/03_top_customers_last_week.sql
--   psql "$DATABASE_URL" -v as_of=2023-12-10 -v days=30 -f sql/analysis/03_top_customers_last_week.sql
--   psql "$DATABASE_URL" -v as_of=2023-12-10 -v limit=10 -f sql/analysis/03_top_customers_last_week.sql
--   psql "$DATABASE_URL" -v at_batch=3 -v as_of=2023-12-10 -f sql/analysis/03_top_customers_last_week.sql
--
-- In an interactive session the view does the same for 7 days:
--   set warehouse.as_of = '2023-12-10'; select * from reporting.top_customers_last_week;
-- `warehouse report top-customers` runs this file's statement itself, the variables bound as
-- parameters. A limit keeps the first `limit` rows, in rank order.

-- Defaults: as_of is the server's current_date (in the session's time zone), days is 7.
\if :{?as_of}
\else
select current_date as as_of \gset
\endif
\if :{?days}
\else
\set days 7
\endif
\if :{?limit}
\else
\set limit ''
\endif

select
    :'as_of'::date - (:'days'::integer - 1) as window_start,
    case when :'days'::integer = 1 then 'day' else 'days' end as day_word \gset

-- The title is set quietly, so that it shows above the table and not as a "Title is" line.
\set report_quiet :QUIET
\set QUIET on
\pset title 'Top customers by value, ':window_start' .. ':as_of' (':days' ':day_word')'
\set QUIET :report_quiet

-- Values are bound as literals (:'name'), never pasted as SQL text; an empty limit is no limit.
\if :{?at_batch}
select
    rank,
    customer_name,
    total_value,
    order_count
from reporting.top_customers_at_batch(:'at_batch'::bigint, :'as_of'::date, :'days'::integer, nullif(:'limit', '')::integer)
order by rank, customer_name;
\else
select
    rank,
    customer_name,
    total_value,
    order_count
from reporting.top_customers(:'as_of'::date, :'days'::integer, nullif(:'limit', '')::integer)
order by rank, customer_name;
\endif

\set QUIET on
\pset title
\set QUIET :report_quiet
