-- Step 3: the set-based stand-in for foreign keys. The loader lists every distinct dimension
-- key it wrote into a fact row (load_used_keys), as runs of consecutive keys; each key must exist
-- in its dimension. Checking distinct keys instead of rows keeps this step independent of the
-- file's size, and runs instead of keys keep it cheap for a first load, whose 200k customer keys
-- are one run: one index range count instead of 200k probes (0.15 s at 5M orders). A
-- dimension's keys are unique, so a run is complete when it counts as many members as keys.

do $$
declare
    missing_customers numeric;
    missing_products numeric;
    missing_dates numeric;
begin
    select coalesce((select sum(u.last_key - u.first_key + 1) from load_used_keys as u where u.dimension = 'customer'), 0)
           - (select count(*) from load_used_keys as u
              join warehouse.dim_customers as c on c.customer_key between u.first_key and u.last_key
              where u.dimension = 'customer')
    into missing_customers;
    select coalesce((select sum(u.last_key - u.first_key + 1) from load_used_keys as u where u.dimension = 'product'), 0)
           - (select count(*) from load_used_keys as u
              join warehouse.dim_products as p on p.product_key between u.first_key and u.last_key
              where u.dimension = 'product')
    into missing_products;
    select coalesce((select sum(u.last_key - u.first_key + 1) from load_used_keys as u where u.dimension = 'date'), 0)
           - (select count(*) from load_used_keys as u
              join warehouse.dim_dates as d on d.date_key between u.first_key and u.last_key
              where u.dimension = 'date')
    into missing_dates;
    if missing_customers + missing_products + missing_dates > 0 then
        raise exception 'orders without a dimension row: % customer keys, % product keys, % date keys',
            missing_customers, missing_products, missing_dates
            using errcode = 'foreign_key_violation';
    end if;
end;
$$;
