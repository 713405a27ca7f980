/// Per-customer report figures summed while the rows stream, for a bulk load into an empty
/// warehouse or a full snapshot's merge: they fill the report tables without another pass over
/// millions of facts.
/// Indexed by customer key (dense, assigned by ``DimensionCache``).
struct CustomerAggregates {
    /// 48 bytes a customer (widest fields first; the latest order's date is `lastDate`): at a
    /// million customers every byte here is a megabyte.
    struct Entry {
        var orderCount: Int64 = 0
        var totalCents: Int64 = 0
        var latestOrderID: Int64 = 0
        var latestCents: Int64 = 0
        var firstDate: Int32 = .max
        var lastDate: Int32 = .min
        var latestPassengers: Int32 = 0
        var latestProduct: Int16 = 0
    }

    private var entries: [Entry] = []

    @inline(__always)
    mutating func add(_ order: some OrderValues, customer: Int32, product: Int16) {
        add(orderID: order.orderID, date: order.date, cents: order.priceCents, passengers: order.passengerCount,
            customer: customer, product: product)
    }

    @inline(__always)
    mutating func add(orderID: Int64, date: CivilDate, cents: Int64, passengers: Int32, customer: Int32, product: Int16) {
        let index = Int(customer)
        if index >= entries.count {
            entries.append(contentsOf: repeatElement(Entry(), count: max(index + 1 - entries.count, entries.count / 2)))
        }
        let dateKey = date.key
        entries.withUnsafeMutableBufferPointer { all in
            all[index].orderCount += 1
            all[index].totalCents += cents
            if dateKey < all[index].firstDate { all[index].firstDate = dateKey }
            // The most recent order, on the latest date so far; ties on date go to the higher order_id.
            let lastDate = all[index].lastDate
            if dateKey > lastDate || (dateKey == lastDate && orderID > all[index].latestOrderID) {
                all[index].lastDate = dateKey
                all[index].latestOrderID = orderID
                all[index].latestProduct = product
                all[index].latestCents = cents
                all[index].latestPassengers = passengers
            }
        }
    }

    /// Writes both report tables (empty: a first load), leaving out `excluded` customers
    /// (recomputed in SQL instead). Streamed: at 5M orders the rows of 200k customers would
    /// otherwise be held twice.
    func store(on connection: PostgresConnection, excluding excluded: Set<Int32>) throws {
        for (table, append) in [(TableRewrite.customerTotals, Self.appendTotalsRow), (TableRewrite.customerLatest, Self.appendLatestRow)] {
            try connection.copyIn(SQL(unsafeRaw: "copy \(table.table) (\(table.columns.joined(separator: ", "))) from stdin")) { writer in
                for (key, entry) in entries.enumerated() where entry.orderCount > 0 && !excluded.contains(Int32(key)) {
                    append(key, entry, writer.pending)
                    try writer.flushIfNeeded()
                }
            }
        }
    }

    /// Makes the report tables' rows of the customers in `load_touched` what these sums say,
    /// changing only the rows that differ (``TableRewrite``): a touched customer's latest order
    /// is often the one it had. One table at a time, so only one table's rows are in memory.
    func rewriteTouched(on connection: PostgresConnection, touched: (Int32) -> Bool) throws {
        for (table, append) in [(TableRewrite.customerTotals, Self.appendTotalsRow), (TableRewrite.customerLatest, Self.appendLatestRow)] {
            var rewrite = table
            rewrite.scope = "customer_key in (select customer_key from load_touched)"
            let rows = ByteBuffer(capacity: 1 << 16)
            for (key, entry) in entries.enumerated() where entry.orderCount > 0 && touched(Int32(key)) {
                append(key, entry, rows)
            }
            try rewrite.replace(with: rows, on: connection)
        }
    }

    /// A `customer_order_totals` row in COPY text.
    private static func appendTotalsRow(_ key: Int, _ entry: Entry, to out: ByteBuffer) {
        CopyText.appendInt(Int64(key), to: out)
        out.append(0x09)
        CopyText.appendInt(entry.orderCount, to: out)
        out.append(0x09)
        CopyText.appendCents(entry.totalCents, to: out)
        out.append(0x09)
        appendDateKey(entry.firstDate, to: out)
        out.append(0x09)
        appendDateKey(entry.lastDate, to: out)
        out.append(0x0A)
    }

    /// A `customer_latest_order` row in COPY text.
    private static func appendLatestRow(_ key: Int, _ entry: Entry, to out: ByteBuffer) {
        CopyText.appendInt(Int64(key), to: out)
        out.append(0x09)
        CopyText.appendInt(entry.latestOrderID, to: out)
        out.append(0x09)
        appendDateKey(entry.lastDate, to: out)
        out.append(0x09)
        CopyText.appendInt(Int64(entry.latestProduct), to: out)
        out.append(0x09)
        CopyText.appendCents(entry.latestCents, to: out)
        out.append(0x09)
        CopyText.appendInt(Int64(entry.latestPassengers), to: out)
        out.append(0x0A)
    }

    private static func appendDateKey(_ key: Int32, to out: ByteBuffer) {
        let date = CivilDate(key: key)!
        CopyText.appendDate(date, to: out)
    }
}

extension TableRewrite {
    static let customerTotals = TableRewrite(
        table: "reporting.customer_order_totals",
        columns: ["customer_key", "order_count", "total_value", "first_order_date", "last_order_date"],
        readExpressions: ["customer_key", "order_count", "total_value", "to_char(first_order_date, 'YYYY-MM-DD')",
                          "to_char(last_order_date, 'YYYY-MM-DD')"])
    static let customerLatest = TableRewrite(
        table: "reporting.customer_latest_order",
        columns: ["customer_key", "order_id", "order_date", "product_key", "price", "passenger_count"],
        readExpressions: ["customer_key", "order_id", "to_char(order_date, 'YYYY-MM-DD')", "product_key", "price", "passenger_count"])
}
