/// The tables of application.db, in load order: dimensions, facts, then the three reports.
///
/// Names and columns follow the warehouse's (docs/schema.md), so a query written against
/// PostgreSQL reads the same here. Differences, all explained in docs/export.md: money is stored
/// twice (`price_cents` exact, `price` REAL), dates are ISO text, booleans 0/1, and the
/// reports are tables computed at export time rather than views.
///
/// The report tables are ordinary rowid tables filled in report order, so their rowid order is
/// the report's and a plain `select *` lists them as the report does; `customer_key` is unique
/// but deliberately not the INTEGER PRIMARY KEY (that would make it the rowid, and the order).
extension ExportTable {
    static let all: [ExportTable] = [
        dimCustomers, dimProducts, dimDates, factOrders,
        totalOrdersPerCustomer, mostRecentOrderPerCustomer, topCustomersLastWeek,
    ]

    static let dimCustomers = ExportTable(
        name: "dim_customers",
        create: """
            create table dim_customers (
                customer_key   integer primary key,
                customer_name  text    not null unique,
                first_batch_id integer not null
            )
            """,
        indexes: [],
        source: "select customer_key, customer_name, first_batch_id from warehouse.dim_customers order by customer_key",
        columns: [.init("customer_key", .integer), .init("customer_name", .text), .init("first_batch_id", .integer)],
        sourceAtBatch: """
            select customer_key, customer_name, first_batch_id from warehouse.dim_customers
            where first_batch_id <= current_setting('warehouse.at_batch')::bigint order by customer_key
            """,
        // Dimensions are append-only (triggers refuse deletes and key updates): the members
        // loaded after the file's batch are all that can be new.
        refresh: .changedRows(delta: """
            select customer_key, customer_name, first_batch_id from warehouse.dim_customers
            where first_batch_id > current_setting('warehouse.export_since')::bigint order by customer_key
            """)
    )

    static let dimProducts = ExportTable(
        name: "dim_products",
        create: """
            create table dim_products (
                product_key    integer primary key,
                product_id     text    not null unique,
                product_name   text    not null,
                first_batch_id integer not null
            )
            """,
        indexes: [],
        source: """
            select product_key, product_id, product_name, first_batch_id
            from warehouse.dim_products order by product_key
            """,
        columns: [
            .init("product_key", .integer), .init("product_id", .text), .init("product_name", .text),
            .init("first_batch_id", .integer),
        ],
        sourceAtBatch: """
            select product_key, product_id, product_name, first_batch_id
            from warehouse.dim_products
            where first_batch_id <= current_setting('warehouse.at_batch')::bigint order by product_key
            """,
        refresh: .changedRows(delta: """
            select product_key, product_id, product_name, first_batch_id
            from warehouse.dim_products
            where first_batch_id > current_setting('warehouse.export_since')::bigint order by product_key
            """)
    )

    static let dimDates = ExportTable(
        name: "dim_dates",
        create: """
            create table dim_dates (
                date_key     integer primary key,
                full_date    text    not null unique,
                year         integer not null,
                quarter      integer not null,
                month        integer not null,
                month_name   text    not null,
                iso_year     integer not null,
                iso_week     integer not null,
                day_of_month integer not null,
                day_of_week  integer not null,
                day_name     text    not null,
                is_weekend   integer not null check (is_weekend in (0, 1))
            )
            """,
        indexes: [],
        source: """
            select date_key, full_date, year, quarter, month, month_name, iso_year, iso_week,
                   day_of_month, day_of_week, day_name, is_weekend
            from warehouse.dim_dates order by date_key
            """,
        columns: [
            .init("date_key", .integer), .init("full_date", .text), .init("year", .integer),
            .init("quarter", .integer), .init("month", .integer), .init("month_name", .text),
            .init("iso_year", .integer), .init("iso_week", .integer), .init("day_of_month", .integer),
            .init("day_of_week", .integer), .init("day_name", .text), .init("is_weekend", .boolean),
        ],
        // The calendar records no batch; it is a few thousand rows, and an unchanged row costs a
        // lookup, not a write.
        refresh: .changedRows(delta: """
            select date_key, full_date, year, quarter, month, month_name, iso_year, iso_week,
                   day_of_month, day_of_week, day_name, is_weekend
            from warehouse.dim_dates order by date_key
            """)
    )

    // order_id is an INTEGER PRIMARY KEY, i.e. the rowid: rows arrive in key order and are
    // appended to the b-tree, the cheapest insert SQLite has.
    static let factOrders = ExportTable(
        name: "fact_orders",
        create: """
            create table fact_orders (
                order_id          integer primary key,
                customer_key      integer not null references dim_customers (customer_key),
                product_key       integer not null references dim_products (product_key),
                date_key          integer not null references dim_dates (date_key),
                order_date        text    not null,
                price_cents       integer not null,
                price             real    not null,
                passenger_count   integer not null,
                inserted_batch_id integer not null,
                updated_batch_id  integer not null
            )
            """,
        indexes: [
            // A customer's orders (the rowid order_id rides along in every entry). Not
            // (customer_key, order_date): a customer has a few dozen orders, which sort in no
            // time, and the narrower entries make the build a third cheaper (docs/export.md).
            "create index fact_orders_customer_idx on fact_orders (customer_key)",
            "create index fact_orders_order_date_idx on fact_orders (order_date)",
            // Deliberately none on product_key (4 products: a scan beats the index) or on
            // date_key (it orders exactly like order_date). See docs/export.md.
        ],
        source: """
            select order_id, customer_key, product_key, date_key, order_date, price, passenger_count,
                   inserted_batch_id, updated_batch_id
            from warehouse.fact_orders order by order_id
            """,
        columns: [
            .init("order_id", .integer), .init("customer_key", .integer), .init("product_key", .integer),
            .init("date_key", .integer), .init("order_date", .text), .init("price", .money),
            .init("passenger_count", .integer), .init("inserted_batch_id", .integer),
            .init("updated_batch_id", .integer),
        ],
        // The versions alive at the batch, each with the batch that first inserted the order and
        // the one that made that version.
        sourceAtBatch: """
            select order_id, customer_key, product_key, date_key, order_date, price, passenger_count,
                   inserted_batch_id, updated_batch_id
            from warehouse.facts_at_batch(current_setting('warehouse.at_batch')::bigint) order by order_id
            """,
        // Every order whose state changed after the file's batch: a current version made later
        // (inserted, changed or restored), or a version that a later load replaced or removed
        // (docs/schema.md, History). Its current version, or NULLs when it is gone now.
        refresh: .changedRows(delta: """
            with touched as (
                select order_id from warehouse.fact_orders
                where updated_batch_id > current_setting('warehouse.export_since')::bigint
                union
                select order_id from warehouse.fact_order_history
                where valid_to_batch_id > current_setting('warehouse.export_since')::bigint
            )
            select t.order_id, f.customer_key, f.product_key, f.date_key, f.order_date, f.price, f.passenger_count,
                   f.inserted_batch_id, f.updated_batch_id
            from touched as t
            left join warehouse.fact_orders as f using (order_id)
            order by t.order_id
            """),
        references: [
            .init(column: 1, parent: "dim_customers"), .init(column: 2, parent: "dim_products"),
            .init(column: 3, parent: "dim_dates"),
        ],
        readsAheadWhole: false
    )

    static let totalOrdersPerCustomer = ExportTable(
        name: "total_orders_per_customer",
        create: """
            create table total_orders_per_customer (
                customer_key      integer not null unique references dim_customers (customer_key),
                customer_name     text    not null,
                total_orders      integer not null,
                total_value_cents integer not null,
                total_value       real    not null,
                first_order_date  text    not null,
                last_order_date   text    not null
            )
            """,
        indexes: ["create index total_orders_per_customer_total_orders_idx on total_orders_per_customer (total_orders)"],
        source: """
            select customer_key, customer_name, total_orders, total_value, first_order_date, last_order_date
            from reporting.total_orders_per_customer order by total_orders desc, customer_name
            """,
        columns: [
            .init("customer_key", .integer), .init("customer_name", .text), .init("total_orders", .integer),
            .init("total_value", .money), .init("first_order_date", .text), .init("last_order_date", .text),
        ],
        sourceAtBatch: """
            select customer_key, customer_name, total_orders, total_value, first_order_date, last_order_date
            from reporting.total_orders_per_customer_at_batch(current_setting('warehouse.at_batch')::bigint)
            order by total_orders desc, customer_name
            """
    )

    static let mostRecentOrderPerCustomer = ExportTable(
        name: "most_recent_order_per_customer",
        create: """
            create table most_recent_order_per_customer (
                customer_key    integer not null unique references dim_customers (customer_key),
                customer_name   text    not null,
                order_id        integer not null references fact_orders (order_id),
                order_date      text    not null,
                product_id      text    not null references dim_products (product_id),
                price_cents     integer not null,
                price           real    not null,
                passenger_count integer not null
            )
            """,
        indexes: [],
        source: """
            select customer_key, customer_name, order_id, order_date, product_id, price, passenger_count
            from reporting.most_recent_order_per_customer order by order_date desc, order_id desc
            """,
        columns: [
            .init("customer_key", .integer), .init("customer_name", .text), .init("order_id", .integer),
            .init("order_date", .text), .init("product_id", .text), .init("price", .money),
            .init("passenger_count", .integer),
        ],
        sourceAtBatch: """
            select customer_key, customer_name, order_id, order_date, product_id, price, passenger_count
            from reporting.most_recent_order_per_customer_at_batch(current_setting('warehouse.at_batch')::bigint)
            order by order_date desc, order_id desc
            """
    )

    // The function, not the view, so the window is the export's as-of date whatever the
    // session's warehouse.as_of was; the exporter sets that setting for this transaction
    // (COPY takes no bind parameters, and the date is never pasted into SQL).
    static let topCustomersLastWeek = ExportTable(
        name: "top_customers_last_week",
        create: """
            create table top_customers_last_week (
                rank              integer not null,
                customer_key      integer not null unique references dim_customers (customer_key),
                customer_name     text    not null,
                total_value_cents integer not null,
                total_value       real    not null,
                order_count       integer not null,
                window_start      text    not null,
                window_end        text    not null
            )
            """,
        indexes: ["create index top_customers_last_week_rank_idx on top_customers_last_week (rank)"],
        source: """
            select t.rank, c.customer_key, t.customer_name, t.total_value, t.order_count,
                   t.window_start, t.window_end
            from reporting.top_customers(current_setting('warehouse.as_of')::date, 7, null) as t
            join warehouse.dim_customers as c on c.customer_name = t.customer_name
            order by t.rank, t.customer_name
            """,
        columns: [
            .init("rank", .integer), .init("customer_key", .integer), .init("customer_name", .text),
            .init("total_value", .money), .init("order_count", .integer), .init("window_start", .text),
            .init("window_end", .text),
        ],
        sourceAtBatch: """
            select t.rank, c.customer_key, t.customer_name, t.total_value, t.order_count,
                   t.window_start, t.window_end
            from reporting.top_customers_at_batch(
                current_setting('warehouse.at_batch')::bigint, current_setting('warehouse.as_of')::date, 7, null) as t
            join warehouse.dim_customers as c on c.customer_name = t.customer_name
            order by t.rank, t.customer_name
            """
    )
}
