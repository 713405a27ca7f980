-- Bulk path, after 10_dimensions.sql: the customer dimension's indexes, when 05_bulk_prepare.sql
-- dropped them (it was empty), as migration 0003 defines them (IngestTests checks that a first
-- load leaves every index as the migrations made it).
do $$
begin
    if not exists (select 1 from pg_catalog.pg_constraint
                   where conrelid = 'warehouse.dim_customers'::regclass and conname = 'dim_customers_pkey') then
        alter table warehouse.dim_customers
            add constraint dim_customers_pkey primary key (customer_key),
            add constraint dim_customers_customer_name_key unique (customer_name);
    end if;
end;
$$;
