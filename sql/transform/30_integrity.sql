-- Step 3: the set-based stand-in for foreign keys. The loader lists every distinct dimension
-- key it wrote into a fact row (load_used_keys); each must exist in its dimension. Checking
-- distinct keys instead of rows keeps this step independent of the file's size.

do $$
declare
    missing_customers bigint;
    missing_products bigint;
    missing_dates bigint;
begin
    select count(*) into missing_customers
    from load_used_keys as u
    where u.dimension = 'customer'
      and not exists (select 1 from warehouse.dim_customers as c where c.customer_key = u.key);

    select count(*) into missing_products
    from load_used_keys as u
    where u.dimension = 'product'
      and not exists (select 1 from warehouse.dim_products as p where p.product_key = u.key);

    select count(*) into missing_dates
    from load_used_keys as u
    where u.dimension = 'date'
      and not exists (select 1 from warehouse.dim_dates as d where d.date_key = u.key);

    if missing_customers + missing_products + missing_dates > 0 then
        raise exception 'orders without a dimension row: % customer keys, % product keys, % date keys',
            missing_customers, missing_products, missing_dates
            using errcode = 'foreign_key_violation';
    end if;
end;
$$;
