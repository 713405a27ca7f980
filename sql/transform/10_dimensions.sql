-- Step 1 after landing: add the dimension members this load found.
-- The loader assigned their keys under the load lock (staging.new_*); the identity sequences
-- are moved past them so a manual insert can never collide.

insert into warehouse.dim_customers (customer_key, customer_name, first_batch_id)
select customer_key, customer_name, current_setting('warehouse.batch_id')::bigint
from staging.new_customers;

insert into warehouse.dim_products (product_key, product_id, product_name, first_batch_id)
select product_key, product_id, initcap(replace(product_id, '_', ' ')), current_setting('warehouse.batch_id')::bigint
from staging.new_products;

insert into warehouse.dim_dates (
    date_key, full_date, year, quarter, month, month_name, iso_year, iso_week,
    day_of_month, day_of_week, day_name, is_weekend
)
select
    to_char(full_date, 'YYYYMMDD')::integer,
    full_date,
    extract(year from full_date)::smallint,
    extract(quarter from full_date)::smallint,
    extract(month from full_date)::smallint,
    trim(to_char(full_date, 'FMMonth')),
    extract(isoyear from full_date)::smallint,
    extract(week from full_date)::smallint,
    extract(day from full_date)::smallint,
    extract(isodow from full_date)::smallint,
    trim(to_char(full_date, 'FMDay')),
    extract(isodow from full_date) in (6, 7)
from staging.new_dates;

select
    setval(pg_get_serial_sequence('warehouse.dim_customers', 'customer_key'),
           greatest(coalesce((select max(customer_key) from warehouse.dim_customers), 0), 1)),
    setval(pg_get_serial_sequence('warehouse.dim_products', 'product_key'),
           greatest(coalesce((select max(product_key) from warehouse.dim_products), 0), 1));
