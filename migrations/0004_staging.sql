-- Landing tables of the load in progress. Unlogged: they are rebuilt by every load, so crash
-- safety would only cost WAL. Each load empties them inside its own transaction.

create unlogged table staging.orders (
    order_id bigint not null,
    customer_key integer not null,
    product_key smallint not null,
    date_key integer not null,
    order_date date not null,
    price numeric(12, 2) not null,
    passenger_count integer not null,
    line_number bigint not null
);

comment on table staging.orders is
    'The validated rows of the latest load, keys already resolved; kept until the next load for inspection.';

create unlogged table staging.new_customers (
    customer_key integer primary key,
    customer_name text not null
);

create unlogged table staging.new_products (
    product_key smallint primary key,
    product_id text not null
);

create unlogged table staging.new_dates (
    full_date date primary key
);
