-- Step 3: the set-based stand-in for foreign keys. Every key this load wrote must exist in its
-- dimension; one pass over the landed rows instead of one trigger call per fact row.

do $$
declare
    orphan record;
begin
    select
        count(*) filter (where c.customer_key is null) as customers,
        count(*) filter (where p.product_key is null) as products,
        count(*) filter (where d.date_key is null) as dates
    into orphan
    from staging.orders as s
    left join warehouse.dim_customers as c on c.customer_key = s.customer_key
    left join warehouse.dim_products as p on p.product_key = s.product_key
    left join warehouse.dim_dates as d on d.date_key = s.date_key;

    if orphan.customers + orphan.products + orphan.dates > 0 then
        raise exception 'orders without a dimension row: % customer keys, % product keys, % date keys',
            orphan.customers, orphan.products, orphan.dates
            using errcode = 'foreign_key_violation';
    end if;
end;
$$;
