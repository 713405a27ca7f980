/// Per-customer sums of the latest days seen while a bulk load streams, so that the weeks
/// `reporting.top_customers` keeps ready (migration 0007) are written from memory instead of
/// aggregated again from millions of facts (about a second at 5M).
///
/// Every window `reporting.wanted_windows()` asks for lies within the 14 days ending on the latest
/// order date, so only those days are kept: a row older than that is ignored, and a later row
/// drops the days that fall out. Memory follows the customers of 14 days, not the file, and is
/// capped: a file whose last 14 days hold more than ``entryBudget`` (day, customer) pairs gives the
/// sums up and leaves the weeks to SQL, so a dense feed cannot push the loader past its memory goal.
struct RecentWeekSums {
    struct Sums {
        var cents: Int64 = 0
        var orders: Int64 = 0
    }

    /// Days kept, ending on the latest order date.
    static let span = 14
    /// How many customers of each window are ranked: the same as the default `depth` of
    /// `reporting.refresh_window_summaries`; the depth is stored with each window.
    static let rankedDepth = 1000
    /// About 30 MB of dictionaries at most (measured ~50 bytes a pair), which keeps a 5M-row bulk
    /// load under its 150 MB goal; 5M orders over six months need about 400,000 pairs.
    static let defaultEntryBudget = 600_000

    let entryBudget: Int

    private var days: [Int: [Int32: Sums]] = [:]
    private var entries = 0
    /// Set once the budget is exceeded: nothing more is summed and ``store(on:)`` writes nothing.
    private(set) var gaveUp = false

    private(set) var latestDay: Int?
    /// The previous row's date as a day number: no date arithmetic when consecutive rows share a date.
    private var lastDateKey: Int32 = 0
    private var lastDay = 0

    init(entryBudget: Int = defaultEntryBudget) {
        self.entryBudget = entryBudget
    }

    @inline(__always)
    mutating func add(_ order: some OrderValues, customer: Int32) {
        add(date: order.date, cents: order.priceCents, customer: customer)
    }

    @inline(__always)
    mutating func add(date: CivilDate, cents: Int64, customer: Int32) {
        if gaveUp { return }
        let dateKey = date.key
        if dateKey != lastDateKey {
            lastDateKey = dateKey
            lastDay = date.daysSinceEpoch
        }
        let day = lastDay
        if let latest = latestDay, day <= latest - Self.span { return }
        if day > latestDay ?? .min {
            latestDay = day
            for old in days.keys where old <= day - Self.span {
                entries -= days.removeValue(forKey: old)?.count ?? 0
            }
        }
        days[day, default: [:]][customer, default: Sums(counted: &entries)].add(cents)
        if entries > entryBudget {
            gaveUp = true
            days = [:]
        }
    }

    /// Per customer over the `length` days ending on `end`, or nil when part of that is not kept.
    func window(endingOn end: Int, length: Int) -> [Int32: Sums]? {
        if gaveUp { return nil }
        // Days after the latest order are empty, not missing: today's week may reach past it.
        guard let latest = latestDay, end - length + 1 > latest - Self.span else { return nil }
        var totals: [Int32: Sums] = [:]
        for day in (end - length + 1)...end {
            for (customer, sums) in days[day] ?? [:] {
                totals[customer, default: Sums()].merge(sums)
            }
        }
        return totals
    }

    /// Writes `reporting.window_summaries` and `window_rankings` for the windows the database
    /// wants, as `reporting.refresh_window_summaries` would. Returns false, having written nothing,
    /// when a wanted window reaches outside the kept days (the caller refreshes in SQL instead).
    func store(on connection: PostgresConnection) throws -> Bool {
        let wanted = try connection.execute("""
            select (window_end - date '1970-01-01') as end_day, days from reporting.wanted_windows()
            """).rows.map { (end: try $0.int("end_day"), days: try $0.int("days")) }
        var windows: [(end: Int, days: Int, totals: [Int32: Sums])] = []
        for window in wanted {
            guard let totals = self.window(endingOn: window.end, length: window.days) else { return false }
            windows.append((window.end, window.days, totals))
        }
        try connection.execute("delete from reporting.window_rankings")
        try connection.execute("delete from reporting.window_summaries")
        try connection.copyIn("""
            copy reporting.window_summaries (window_end, days, orders, customers, revenue, ranked_depth) from stdin
            """) { writer in
            for window in windows {
                let all = window.totals.values.reduce(into: Sums()) { $0.merge($1) }
                Self.appendKey(window.end, window.days, to: writer.pending)
                CopyText.appendInt(all.orders, to: writer.pending)
                writer.pending.append(0x09)
                CopyText.appendInt(Int64(window.totals.count), to: writer.pending)
                writer.pending.append(0x09)
                CopyText.appendCents(all.cents, to: writer.pending)
                writer.pending.append(0x09)
                CopyText.appendInt(Int64(Self.rankedDepth), to: writer.pending)
                writer.pending.append(0x0A)
            }
        }
        try connection.copyIn("""
            copy reporting.window_rankings (window_end, days, customer_key, total_value, order_count) from stdin
            """) { writer in
            for window in windows {
                for (customer, sums) in Self.ranked(window.totals) {
                    Self.appendKey(window.end, window.days, to: writer.pending)
                    CopyText.appendInt(Int64(customer), to: writer.pending)
                    writer.pending.append(0x09)
                    CopyText.appendCents(sums.cents, to: writer.pending)
                    writer.pending.append(0x09)
                    CopyText.appendInt(sums.orders, to: writer.pending)
                    writer.pending.append(0x0A)
                    try writer.flushIfNeeded()
                }
            }
        }
        return true
    }

    /// Every customer valued at or above the `depth`-th value (SQL `rank() <= depth`), best first.
    static func ranked(_ totals: [Int32: Sums], depth: Int = rankedDepth) -> [(Int32, Sums)] {
        let sorted = totals.sorted { $0.value.cents > $1.value.cents }
        guard sorted.count > depth else { return sorted }
        let cut = sorted[depth - 1].value.cents
        return Array(sorted.prefix { $0.value.cents >= cut })
    }

    /// `window_end <TAB> days <TAB>`.
    private static func appendKey(_ end: Int, _ days: Int, to out: ByteBuffer) {
        CopyText.appendDate(CivilDate(daysSinceEpoch: end), to: out)
        out.append(0x09)
        CopyText.appendInt(Int64(days), to: out)
        out.append(0x09)
    }
}

extension RecentWeekSums.Sums {
    /// A new (day, customer) pair, counted against the budget.
    @inline(__always) init(counted entries: inout Int) {
        self.init()
        entries += 1
    }

    @inline(__always) mutating func add(_ cents: Int64) {
        self.cents += cents
        orders += 1
    }

    @inline(__always) mutating func merge(_ other: Self) {
        cents += other.cents
        orders += other.orders
    }
}
