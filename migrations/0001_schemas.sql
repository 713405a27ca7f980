-- The four schemas: what lands (staging), the star (warehouse), what people query (reporting),
-- and bookkeeping (ops).
create schema if not exists staging;
create schema if not exists warehouse;
create schema if not exists reporting;
create schema if not exists ops;

comment on schema staging is 'Rows of the load in progress, as landed (kept until the next load).';
comment on schema warehouse is 'The star schema: dim_customers, dim_products, dim_dates, fact_orders.';
comment on schema reporting is 'What people query: the three reports as views and functions.';
comment on schema ops is 'Migration ledger, load batches, rejected rows, API sync state.';
