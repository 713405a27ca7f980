import WarehouseKit

/// Hand-made warehouse contents for the export tests: names that stress the COPY text format,
/// ties in both reports, prices whose REAL sums drift, window edges on 2023-12-04 and -10.
enum ExportFixture {
    static let asOf = "2023-12-10"

    /// The customer names by key; each one is a case for the escaping test.
    static let customerNames: [Int: String] = [
        1: "Alice Smith",
        2: #"O'Brien, "Jr.""#,
        3: "Tab\there",
        4: "Line\nbreak",
        5: #"Back\slash \N and \t"#,
        6: "Zoë 北京 🚀 é",
        7: #"\N"#,
        8: "Carriage\rreturn, then \u{1}control",
        9: "Quiet Customer",
    ]

    /// Everything but the customers (whose names are bound as parameters, see ``load(into:)``).
    static let script = """
        insert into ops.load_batches (source, source_kind, status, finished_at, tool_version)
        values ('fixture-1.csv', 'file', 'succeeded', '2023-12-09 06:00:00+00', 'test'),
               ('fixture-2.csv', 'file', 'succeeded', '2023-12-10 06:00:00+00', 'test'),
               ('fixture-3.csv', 'file', 'failed', '2023-12-11 06:00:00+00', 'test');

        insert into warehouse.dim_products (product_key, product_id, product_name, first_batch_id)
        values (1, 'transfer', 'Transfer', 1), (2, 'parking', 'Parking', 1),
               (3, 'fast_track', 'Fast track', 1), (4, 'lounge', 'Lounge', 2);

        insert into warehouse.dim_dates
        select to_char(d, 'YYYYMMDD')::int, d, extract(year from d), extract(quarter from d),
               extract(month from d), trim(to_char(d, 'Month')), extract(isoyear from d),
               extract(week from d), extract(day from d), extract(isodow from d),
               trim(to_char(d, 'Day')), extract(isodow from d) in (6, 7)
        from generate_series(date '2023-11-01', date '2023-12-12', interval '1 day') as g(t),
             lateral (select t::date as d) as x;

        insert into warehouse.fact_orders
            (order_id, customer_key, product_key, date_key, order_date, price, passenger_count,
             inserted_batch_id, updated_batch_id)
        select order_id, customer_key, product_key, to_char(order_date, 'YYYYMMDD')::int, order_date,
               price, passenger_count, 1, 2
        from (values
            (101, 1, 1, date '2023-12-09', 10.10, 1),
            (105, 1, 2, date '2023-12-09', 20.20, 2),
            (102, 1, 3, date '2023-11-15', 5.00, 1),
            (103, 2, 4, date '2023-12-04', 0.10, 1),
            (104, 2, 4, date '2023-12-10', 0.20, 3),
            (106, 2, 1, date '2023-12-03', 99.99, 1),
            (107, 3, 2, date '2023-12-11', 500.00, 2),
            (108, 3, 1, date '2023-12-05', 30.30, 1),
            (109, 4, 3, date '2023-12-06', 30.30, 1),
            (110, 5, 1, date '2023-12-07', 1234567.89, 4),
            (111, 6, 2, date '2023-12-08', 0.00, 1),
            (112, 7, 3, date '2023-11-30', 19.99, 2),
            (113, 8, 4, date '2023-12-10', 0.30, 1)
        ) as v(order_id, customer_key, product_key, order_date, price, passenger_count);
        """

    /// What a load maintains; rebuilt from the facts here.
    static let summaries = """
        delete from reporting.customer_order_totals;
        delete from reporting.customer_latest_order;
        insert into reporting.customer_order_totals
        select customer_key, count(*), sum(price), min(order_date), max(order_date)
        from warehouse.fact_orders group by customer_key;
        insert into reporting.customer_latest_order
        select distinct on (customer_key) customer_key, order_id, order_date, product_key, price, passenger_count
        from warehouse.fact_orders
        order by customer_key, order_date desc, order_id desc;
        """

    static let orderCount = 13

    static func load(into connection: PostgresConnection) throws {
        for (key, name) in customerNames.sorted(by: { $0.key < $1.key }) {
            try connection.execute("""
                insert into warehouse.dim_customers (customer_key, customer_name, first_batch_id)
                values (\(key), \(name), 1)
                """)
        }
        try connection.executeScript(script)
        try connection.executeScript(summaries)
    }
}
