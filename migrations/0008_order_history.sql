-- Order history, removals and time travel.
--
-- warehouse.fact_orders holds the current version of every order the supplier still lists: what
-- every report, the kept weeks, the dashboard and application.db count. Every earlier version,
-- and the last version of an order a full snapshot no longer contains (removed), moves to
-- warehouse.fact_order_history with the batch that made it and the batch that replaced or
-- removed it. So the state after any batch N is: current versions made by batch N or earlier,
-- plus history versions made by N or earlier and ended after N.

create table warehouse.fact_order_history (
    order_id bigint not null check (order_id > 0),
    customer_key integer not null,
    product_key smallint not null,
    date_key integer not null,
    order_date date not null,
    price numeric(12, 2) not null check (price >= 0),
    passenger_count integer not null check (passenger_count >= 1),
    valid_from_batch_id bigint not null,
    valid_to_batch_id bigint not null,
    ended_by text not null check (ended_by in ('replaced', 'removed')),
    primary key (order_id, valid_from_batch_id),
    check (valid_to_batch_id > valid_from_batch_id)
);

comment on table warehouse.fact_order_history is
    'Every earlier version of an order, and the last version of a removed one. The current versions are in warehouse.fact_orders.';
comment on column warehouse.fact_order_history.valid_from_batch_id is 'The load that made this version.';
comment on column warehouse.fact_order_history.valid_to_batch_id is 'The load that replaced it (ended_by = replaced) or whose full snapshot no longer listed the order (removed).';

-- Time travel reads the versions alive at a batch.
create index fact_order_history_batches_idx
    on warehouse.fact_order_history (valid_from_batch_id, valid_to_batch_id);

comment on column warehouse.fact_orders.updated_batch_id is
    'The load that made this version of the order: inserted, changed or restored it.';

-- Every version of every order, oldest first per order; valid_to_batch_id is null for the current one.
create view warehouse.order_versions as
select order_id, customer_key, product_key, date_key, order_date, price, passenger_count,
       valid_from_batch_id, valid_to_batch_id, ended_by
from warehouse.fact_order_history
union all
select order_id, customer_key, product_key, date_key, order_date, price, passenger_count,
       updated_batch_id, null::bigint, null::text
from warehouse.fact_orders;

comment on view warehouse.order_versions is
    'Every version of every order: valid from the batch that made it until the batch that replaced or removed it (null: current).';

-- Orders the latest full snapshot that lacked them removed, and that no later load brought back.
create view warehouse.removed_orders as
select h.order_id, h.customer_key, h.product_key, h.order_date, h.price, h.passenger_count,
       h.valid_to_batch_id as removed_batch_id
from warehouse.fact_order_history as h
where h.ended_by = 'removed'
  and not exists (select from warehouse.fact_orders as f where f.order_id = h.order_id)
  and not exists (
      select from warehouse.fact_order_history as later
      where later.order_id = h.order_id and later.valid_from_batch_id > h.valid_from_batch_id
  );

comment on view warehouse.removed_orders is 'Orders a full snapshot no longer listed, with the batch that removed them; counted nowhere.';

alter table ops.load_batches
    add column rows_removed bigint,
    add column rows_restored bigint;

comment on column ops.load_batches.rows_missing is 'Known orders this snapshot no longer contains: the same as rows_removed (kept for older queries).';
comment on column ops.load_batches.rows_removed is 'Orders this full snapshot no longer listed: moved to warehouse.fact_order_history, counted nowhere.';
comment on column ops.load_batches.rows_restored is 'Removed orders this load listed again: counted again.';

-- The facts as they stood right after batch p_batch_id committed.
create function warehouse.facts_at_batch(p_batch_id bigint)
returns table (
    order_id bigint,
    customer_key integer,
    product_key smallint,
    date_key integer,
    order_date date,
    price numeric(12, 2),
    passenger_count integer,
    inserted_batch_id bigint,
    updated_batch_id bigint
)
language plpgsql stable
as $$
declare
    batch_status text;
begin
    select b.status into batch_status from ops.load_batches as b where b.batch_id = p_batch_id;
    if batch_status is null then
        raise exception 'batch % does not exist', coalesce(p_batch_id::text, 'null')
            using errcode = 'invalid_parameter_value', hint = 'warehouse status lists the latest batches.';
    elsif batch_status <> 'succeeded' then
        raise exception 'batch % did not succeed (it is %): nothing was committed by it', p_batch_id, batch_status
            using errcode = 'invalid_parameter_value', hint = 'Ask for a succeeded batch.';
    end if;
    return query
    select f.order_id, f.customer_key, f.product_key, f.date_key, f.order_date, f.price, f.passenger_count,
           f.inserted_batch_id, f.updated_batch_id
    from warehouse.fact_orders as f
    where f.updated_batch_id <= p_batch_id
    union all
    -- An earlier version: the order was first inserted by its current row's batch, or, if it
    -- is removed now, by its oldest version's.
    select h.order_id, h.customer_key, h.product_key, h.date_key, h.order_date, h.price, h.passenger_count,
           coalesce((select c.inserted_batch_id from warehouse.fact_orders as c where c.order_id = h.order_id),
                    (select min(x.valid_from_batch_id) from warehouse.fact_order_history as x where x.order_id = h.order_id)),
           h.valid_from_batch_id
    from warehouse.fact_order_history as h
    where h.valid_from_batch_id <= p_batch_id and h.valid_to_batch_id > p_batch_id;
end;
$$;

comment on function warehouse.facts_at_batch(bigint) is
    'The facts right after the given batch committed (updated_batch_id: the batch that made that version); an error for a batch that does not exist or did not succeed.';

-- The three reports as they stood right after a batch: the same columns and order as
-- reporting.total_orders_per_customer, reporting.most_recent_order_per_customer and
-- reporting.top_customers, computed from warehouse.facts_at_batch.
create function reporting.total_orders_per_customer_at_batch(p_batch_id bigint)
returns table (
    customer_name text,
    total_orders bigint,
    total_value numeric,
    first_order_date date,
    last_order_date date,
    customer_key integer
)
language sql stable
as $$
    select c.customer_name, count(*), sum(f.price), min(f.order_date), max(f.order_date), f.customer_key
    from warehouse.facts_at_batch(p_batch_id) as f
    join warehouse.dim_customers as c using (customer_key)
    group by f.customer_key, c.customer_name;
$$;

create function reporting.most_recent_order_per_customer_at_batch(p_batch_id bigint)
returns table (
    customer_name text,
    order_id bigint,
    order_date date,
    product_id text,
    price numeric(12, 2),
    passenger_count integer,
    customer_key integer
)
language sql stable
as $$
    select c.customer_name, l.order_id, l.order_date, p.product_id, l.price, l.passenger_count, l.customer_key
    from (
        -- Ties on date go to the higher order_id.
        select distinct on (f.customer_key) f.*
        from warehouse.facts_at_batch(p_batch_id) as f
        order by f.customer_key, f.order_date desc, f.order_id desc
    ) as l
    join warehouse.dim_customers as c using (customer_key)
    join warehouse.dim_products as p using (product_key);
$$;

create function reporting.top_customers_at_batch(
    p_batch_id bigint, as_of date default current_date, days integer default 7, n integer default 10
)
returns table (
    rank bigint,
    customer_name text,
    total_value numeric,
    order_count bigint,
    window_start date,
    window_end date
)
language plpgsql stable
as $$
#variable_conflict use_column
begin
    if top_customers_at_batch.days is null or top_customers_at_batch.days < 1 then
        raise exception 'reporting.top_customers_at_batch: days must be at least 1, not %',
            coalesce(top_customers_at_batch.days::text, 'null')
            using errcode = 'invalid_parameter_value';
    end if;
    return query
    with per_customer as (
        select f.customer_key, sum(f.price) as total_value, count(*) as order_count
        from warehouse.facts_at_batch(p_batch_id) as f
        where f.order_date between top_customers_at_batch.as_of - (top_customers_at_batch.days - 1) and top_customers_at_batch.as_of
        group by f.customer_key
    ),

    ranked as (
        select rank() over (order by p.total_value desc) as value_rank, d.customer_name, p.total_value, p.order_count
        from per_customer as p
        join warehouse.dim_customers as d using (customer_key)
    )

    select r.value_rank, r.customer_name, r.total_value::numeric, r.order_count,
           top_customers_at_batch.as_of - (top_customers_at_batch.days - 1), top_customers_at_batch.as_of
    from ranked as r
    order by r.value_rank, r.customer_name
    limit top_customers_at_batch.n;
end;
$$;

comment on function reporting.total_orders_per_customer_at_batch(bigint) is 'Report 1 as it stood right after the given batch.';
comment on function reporting.most_recent_order_per_customer_at_batch(bigint) is 'Report 2 as it stood right after the given batch.';
comment on function reporting.top_customers_at_batch(bigint, date, integer, integer) is 'Report 3 as it stood right after the given batch.';

-- Sums of valid prices must not overflow: 10,001 orders at the largest price (9,999,999,999.99)
-- did in numeric(16, 2). numeric(20, 2) holds the sum of 5M such orders and more.
drop view reporting.total_orders_per_customer;
alter table reporting.customer_order_totals alter column total_value type numeric(20, 2);
alter table reporting.window_summaries alter column revenue type numeric(20, 2);
alter table reporting.window_rankings alter column total_value type numeric(20, 2);
create view reporting.total_orders_per_customer as
select
    c.customer_name,
    t.order_count as total_orders,
    t.total_value,
    t.first_order_date,
    t.last_order_date,
    c.customer_key
from reporting.customer_order_totals as t
join warehouse.dim_customers as c using (customer_key);

comment on view reporting.total_orders_per_customer is 'Report 1: every customer with the number and value of their orders.';

-- Every statement that changes fact_orders moves this counter (outside any transaction's undo:
-- a rolled-back change moves it too). A loader that keeps the known orders' fingerprints on
-- disk between loads stores the value it left behind, and trusts its copy only while the
-- counter still has that value: any change by anyone else makes it read the facts again.
create sequence ops.fact_orders_changes;

comment on sequence ops.fact_orders_changes is
    'Moved by every statement that changes warehouse.fact_orders; see docs/loads.md (known orders).';

create function warehouse.note_fact_orders_change() returns trigger
language plpgsql as $$
begin
    perform nextval('ops.fact_orders_changes');
    return null;
end;
$$;

create trigger fact_orders_changed after insert or update or delete on warehouse.fact_orders
    for each statement execute function warehouse.note_fact_orders_change();
create trigger fact_orders_truncated after truncate on warehouse.fact_orders
    for each statement execute function warehouse.note_fact_orders_change();
