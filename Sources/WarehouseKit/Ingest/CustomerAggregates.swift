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

    /// Writes both report tables, leaving out `excluded` customers (recomputed in SQL instead).
    func store(on connection: PostgresConnection, excluding excluded: Set<Int32>) throws {
        try store(on: connection, totalsTable: "reporting.customer_order_totals", latestTable: "reporting.customer_latest_order") {
            !excluded.contains($0)
        }
    }

    /// Writes the rows of the customers `including` accepts into tables shaped like the two
    /// report tables (the names are the program's own, never input).
    func store(on connection: PostgresConnection, totalsTable: String, latestTable: String,
               including: (Int32) -> Bool) throws {
        try connection.copyIn("""
            copy \(unsafeRaw: totalsTable) (customer_key, order_count, total_value, first_order_date, last_order_date) from stdin
            """) { writer in
            for (key, entry) in entries.enumerated() where entry.orderCount > 0 && including(Int32(key)) {
                CopyText.appendInt(Int64(key), to: writer.pending)
                writer.pending.append(0x09)
                CopyText.appendInt(entry.orderCount, to: writer.pending)
                writer.pending.append(0x09)
                CopyText.appendCents(entry.totalCents, to: writer.pending)
                writer.pending.append(0x09)
                Self.appendDateKey(entry.firstDate, to: writer.pending)
                writer.pending.append(0x09)
                Self.appendDateKey(entry.lastDate, to: writer.pending)
                writer.pending.append(0x0A)
                try writer.flushIfNeeded()
            }
        }
        try connection.copyIn("""
            copy \(unsafeRaw: latestTable) (customer_key, order_id, order_date, product_key, price, passenger_count) from stdin
            """) { writer in
            for (key, entry) in entries.enumerated() where entry.orderCount > 0 && including(Int32(key)) {
                CopyText.appendInt(Int64(key), to: writer.pending)
                writer.pending.append(0x09)
                CopyText.appendInt(entry.latestOrderID, to: writer.pending)
                writer.pending.append(0x09)
                Self.appendDateKey(entry.lastDate, to: writer.pending)
                writer.pending.append(0x09)
                CopyText.appendInt(Int64(entry.latestProduct), to: writer.pending)
                writer.pending.append(0x09)
                CopyText.appendCents(entry.latestCents, to: writer.pending)
                writer.pending.append(0x09)
                CopyText.appendInt(Int64(entry.latestPassengers), to: writer.pending)
                writer.pending.append(0x0A)
                try writer.flushIfNeeded()
            }
        }
    }

    private static func appendDateKey(_ key: Int32, to out: ByteBuffer) {
        let date = CivilDate(key: key)!
        CopyText.appendDate(date, to: out)
    }
}
