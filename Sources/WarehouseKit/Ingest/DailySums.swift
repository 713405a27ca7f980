/// Orders and cents per order day, summed while a first load streams, so that
/// `reporting.daily_totals` (migration 0011) is written from a few hundred rows instead of a
/// group-by over every fact the load just copied.
///
/// Indexed by the day's `yyyymmdd` key minus the smallest key seen: a file spanning a year needs
/// about 10,000 slots, and a row costs one comparison and two additions. Keys too far apart for
/// ``maximumSlots`` go to a dictionary instead.
struct DailySums {
    static let maximumSlots = 500_000

    private var base: Int32 = 0
    private var orders: [Int64] = []
    private var cents: [Int64] = []
    private var outliers: [Int32: (orders: Int64, cents: Int64)] = [:]

    @inline(__always)
    mutating func add(dateKey: Int32, cents value: Int64) {
        let offset = Int(dateKey) &- Int(base)
        if offset >= 0, offset < orders.count {
            orders[offset] &+= 1
            cents[offset] &+= value
        } else {
            addOutsideRange(dateKey: dateKey, cents: value)
        }
    }

    private mutating func addOutsideRange(dateKey: Int32, cents value: Int64) {
        let low = orders.isEmpty ? Int(dateKey) : min(Int(base), Int(dateKey))
        let high = orders.isEmpty ? Int(dateKey) : max(Int(base) + orders.count - 1, Int(dateKey))
        guard high - low < Self.maximumSlots else {
            outliers[dateKey, default: (0, 0)].orders += 1
            outliers[dateKey, default: (0, 0)].cents += value
            return
        }
        // Room for a year either side (as far as the limit allows), so a file in date order does not
        // grow the arrays each day.
        let margin = max(0, min(10_000, (Self.maximumSlots - 1 - (high - low)) / 2))
        let newBase = max(0, low - margin), newCount = high + margin - newBase + 1
        var newOrders = [Int64](repeating: 0, count: newCount), newCents = [Int64](repeating: 0, count: newCount)
        for offset in orders.indices where orders[offset] != 0 {
            newOrders[Int(base) + offset - newBase] = orders[offset]
            newCents[Int(base) + offset - newBase] = cents[offset]
        }
        (base, orders, cents) = (Int32(newBase), newOrders, newCents)
        add(dateKey: dateKey, cents: value)
    }

    /// Every day with an order: key, orders, cents, in key order.
    var days: [(key: Int32, orders: Int64, cents: Int64)] {
        var all = orders.indices.filter { orders[$0] != 0 }.map { (key: base + Int32($0), orders: orders[$0], cents: cents[$0]) }
        all += outliers.map { (key: $0.key, orders: $0.value.orders, cents: $0.value.cents) }
        return all.sorted { $0.key < $1.key }
    }

    /// Replaces `reporting.daily_totals` with these sums, inside the load's transaction.
    /// - Throws: ``PostgresError``.
    func store(on connection: PostgresConnection) throws {
        try connection.execute("delete from reporting.daily_totals")
        try connection.copyIn("copy reporting.daily_totals (order_date, orders, revenue) from stdin") { writer in
            for day in days {
                guard let date = CivilDate(key: day.key) else {
                    throw IngestError.integrityViolation("a summed order day \(day.key) is not a calendar date")
                }
                CopyText.appendDate(date, to: writer.pending)
                writer.pending.append(0x09)
                CopyText.appendInt(day.orders, to: writer.pending)
                writer.pending.append(0x09)
                CopyText.appendCents(day.cents, to: writer.pending)
                writer.pending.append(0x0A)
            }
        }
    }
}
