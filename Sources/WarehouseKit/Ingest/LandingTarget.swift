/// Where a load's validated rows go: straight into `warehouse.fact_orders` when it is empty
/// (the bulk path, in binary COPY format), else into `staging.orders` for the set-based merge
/// (text format: few rows land there).
enum LandingTarget {
    case fact
    case staging

    var isBulk: Bool { if case .fact = self { return true } else { return false } }

    /// The table's name, for statements the program writes itself (never from input).
    var tableName: String { isBulk ? "warehouse.fact_orders" : "staging.orders" }

    var copyStatement: SQL {
        switch self {
        case .fact:
            // FREEZE: the table was truncated in this transaction, so rows can be written frozen
            // and all-visible — the weekly report's index-only scans work at once, with no
            // VACUUM pass over millions of new rows first. Binary: every row of the file goes
            // this way, and the server then parses no text. The batch ids come from the columns'
            // defaults, which 05_bulk_prepare.sql sets to this batch for the load: two fields a
            // row fewer to send and read took a tenth off the server's COPY (psql, 1M rows).
            return """
                copy warehouse.fact_orders (order_id, customer_key, product_key, date_key, order_date, price, \
                passenger_count) from stdin with (freeze, format binary)
                """
        case .staging:
            return """
                copy staging.orders (order_id, customer_key, product_key, date_key, order_date, price, \
                passenger_count, line_number) from stdin
                """
        }
    }

    /// What the COPY data starts with (the binary format's header).
    func begin(into out: ByteBuffer) {
        if isBulk { CopyBinary.appendHeader(to: out) }
    }

    /// What the COPY data ends with (the binary format's trailer).
    func end(into out: ByteBuffer) {
        if isBulk { CopyBinary.appendTrailer(to: out) }
    }

    @inline(__always)
    func encode(_ order: some OrderValues, customer: Int32, product: Int16, line: Int, into out: ByteBuffer) {
        if isBulk {
            CopyBinary.appendFieldCount(7, to: out)
            CopyBinary.appendInt64(order.orderID, to: out)
            CopyBinary.appendInt32(customer, to: out)
            CopyBinary.appendInt16(product, to: out)
            CopyBinary.appendInt32(order.date.key, to: out)
            CopyBinary.appendDate(order.date, to: out)
            CopyBinary.appendCents(order.priceCents, to: out)
            CopyBinary.appendInt32(order.passengerCount, to: out)
            return
        }
        CopyText.appendInt(order.orderID, to: out)
        out.append(0x09)
        CopyText.appendInt(Int64(customer), to: out)
        out.append(0x09)
        CopyText.appendInt(Int64(product), to: out)
        out.append(0x09)
        CopyText.appendInt(Int64(order.date.key), to: out)
        out.append(0x09)
        CopyText.appendDate(order.date, to: out)
        out.append(0x09)
        CopyText.appendCents(order.priceCents, to: out)
        out.append(0x09)
        CopyText.appendInt(Int64(order.passengerCount), to: out)
        out.append(0x09)
        CopyText.appendInt(Int64(line), to: out)
        out.append(0x0A)
    }
}

/// The distinct dimension keys a load wrote, for the integrity step (`30_integrity.sql`).
struct UsedKeys {
    private var customers: [Bool] = []
    private(set) var products: Set<Int16> = []
    private var dates = DateSet()

    @inline(__always)
    mutating func note(customer: Int32, product: Int16, date: Int32) {
        let index = Int(customer)
        if index >= customers.count {
            customers.append(contentsOf: repeatElement(false, count: max(index + 1 - customers.count, customers.count / 2)))
        }
        customers[index] = true
        if products.count < 4 || !products.contains(product) { products.insert(product) }
        _ = dates.insert(date)
    }

    mutating func forget(customer: Int32) {
        if Int(customer) < customers.count { customers[Int(customer)] = false }
    }

    /// Lands the keys as runs of consecutive keys (`load_used_keys`).
    func land(on connection: PostgresConnection) throws {
        try connection.copyIn("copy load_used_keys (dimension, first_key, last_key) from stdin") { writer in
            for (dimension, keys) in [("customer", customers.indices.lazy.filter { customers[$0] }.map(Int64.init)),
                                      ("product", products.sorted().lazy.map(Int64.init)),
                                      ("date", dates.members.sorted().lazy.map(Int64.init))] as [(String, any Sequence<Int64>)] {
                let name = Array(dimension.utf8)
                for run in Self.runs(of: keys) {
                    writer.pending.append(contentsOf: name)
                    writer.pending.append(0x09)
                    CopyText.appendInt(run.lowerBound, to: writer.pending)
                    writer.pending.append(0x09)
                    CopyText.appendInt(run.upperBound, to: writer.pending)
                    writer.pending.append(0x0A)
                    try writer.flushIfNeeded()
                }
            }
        }
    }

    /// Ascending distinct keys as runs of consecutive keys: 1, 2, 3, 7 -> 1...3, 7...7.
    static func runs(of keys: some Sequence<Int64>) -> [ClosedRange<Int64>] {
        var runs: [ClosedRange<Int64>] = []
        for key in keys {
            if let last = runs.last, key == last.upperBound + 1 {
                runs[runs.count - 1] = last.lowerBound...key
            } else {
                runs.append(key...key)
            }
        }
        return runs
    }
}
