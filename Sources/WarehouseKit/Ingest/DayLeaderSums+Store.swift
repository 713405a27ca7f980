extension DayLeaderSums {
    /// The per-day tables' rows (migrations 0011-0013): every day's list, in day order, and each
    /// day's customers as binary COPY rows of `reporting.day_customers` (``DayCustomerBitmaps``),
    /// or nil when they would take more than ``bitmapBudget``: they are then written from the sums
    /// when stored.
    struct PerDayRows {
        var lists: [DayList]
        var customerBitmaps: ByteBuffer?
    }

    /// How many bytes of day customers' bitmaps ``perDayRows(depth:)`` holds until they are
    /// written: a bitmap row is a kilobyte for each 8,192 customer keys and day, 5 MB for the
    /// bench's 5M orders of 200k customers over 180 days, but 23 MB with a million customers.
    static let bitmapBudget = 8 << 20

    /// Ranks every day (``lists(depth:customers:)``) and, within ``bitmapBudget``, writes its
    /// customers' bitmaps on the way.
    func perDayRows(depth: Int, bitmapBudget: Int = DayLeaderSums.bitmapBudget) throws -> PerDayRows {
        let rowsPerDay = customerCapacity / DayCustomerBitmaps.chunkBits + 1
        guard dayCount * rowsPerDay * DayCustomerBitmaps.rowBytes <= bitmapBudget else {
            return PerDayRows(lists: try lists(depth: depth), customerBitmaps: nil)
        }
        let bitmapRows = ByteBuffer(capacity: 1 << 16)
        var bitmaps = DayCustomerBitmaps()
        let lists = try lists(depth: depth) { dateKey, customers in
            bitmaps.append(day: try Self.date(dateKey), customers: customers, to: bitmapRows)
        }
        return PerDayRows(lists: lists, customerBitmaps: bitmapRows)
    }

    /// Replaces the per-day tables with `rows` (a first load's, or a full snapshot's after its
    /// merge), inside the load's transaction: each day's customers as bitmaps
    /// (`reporting.day_customers`, migration 0013), the day leaders (0012) and the orders and
    /// revenue per day (0011). The leaders of blocks of days (0015) are stored by
    /// ``storeBlockLeaders(_:on:)``. May run while another thread goes through the days.
    /// - Throws: ``PostgresError``, ``IngestError``.
    func storePerDayTables(_ rows: PerDayRows, on connection: PostgresConnection) throws {
        try connection.execute("delete from reporting.day_customers")
        try connection.copyIn("copy reporting.day_customers (order_date, chunk, members) from stdin with (format binary)") { writer in
            CopyBinary.appendHeader(to: writer.pending)
            if let bytes = rows.customerBitmaps?.bytes {
                for start in stride(from: 0, to: bytes.count, by: 1 << 16) {
                    try writer.write(UnsafeRawBufferPointer(rebasing: bytes[start..<min(start + (1 << 16), bytes.count)]))
                }
            } else {
                var bitmaps = DayCustomerBitmaps()
                try forEachDayTotals { dateKey, customers, _, _ in
                    bitmaps.append(day: try Self.date(dateKey), customers: customers, to: writer.pending)
                    try writer.flushIfNeeded()
                }
            }
            CopyBinary.appendTrailer(to: writer.pending)
        }
        try Self.storeLeaders(rows.lists, on: connection)
        try Self.storeDailyTotals(rows.lists, on: connection)
    }

    /// Starts ranking the days and summing the block lists beside the load
    /// (``BackgroundDayLists``); no row may be added after this.
    func startDayLists(on connection: PostgresConnection) throws -> BackgroundDayLists {
        let dayDepth = try connection.execute("select reporting.day_leader_depth() as depth").single().int("depth")
        let blockDepth = try connection.execute("select reporting.block_leader_depth() as depth").single().int("depth")
        let levels = try connection.execute("select l.level from reporting.block_levels() as l (level) order by 1").rows.map { try $0.int("level") }
        return BackgroundDayLists(sums: self, dayDepth: dayDepth, blockLevels: levels, blockDepth: blockDepth)
    }

    /// Makes `reporting.block_leaders` and `reporting.block_leader_bounds` (migration 0015) hold
    /// these lists, changing only the rows that differ (``TableRewrite``).
    static func storeBlockLeaders(_ lists: [BlockLeaderSums.BlockList], on connection: PostgresConnection) throws {
        let bounds = ByteBuffer(capacity: lists.count * 24)
        for list in lists {
            CopyText.appendInt(Int64(list.level), to: bounds)
            bounds.append(0x09)
            CopyText.appendDate(CivilDate(daysSinceEpoch: list.start), to: bounds)
            bounds.append(0x09)
            CopyText.appendCents(list.unlistedMax, to: bounds)
            bounds.append(0x0A)
        }
        let leaders = ByteBuffer(capacity: lists.reduce(0) { $0 + $1.leaders.count } * 40)
        for list in lists {
            let start = CivilDate(daysSinceEpoch: list.start)
            for leader in list.leaders {
                CopyText.appendInt(Int64(list.level), to: leaders)
                leaders.append(0x09)
                CopyText.appendDate(start, to: leaders)
                leaders.append(0x09)
                CopyText.appendInt(Int64(leader.customer), to: leaders)
                leaders.append(0x09)
                CopyText.appendCents(leader.cents, to: leaders)
                leaders.append(0x09)
                CopyText.appendInt(Int64(leader.orders), to: leaders)
                leaders.append(0x0A)
            }
        }
        try TableRewrite.blockLeaderBounds.replace(with: bounds, on: connection)
        try TableRewrite.blockLeaders.replace(with: leaders, on: connection)
    }

    static func date(_ key: Int32) throws -> CivilDate {
        guard let date = CivilDate(key: key) else {
            throw IngestError.integrityViolation("an order day \(key) is not a calendar date")
        }
        return date
    }

    /// Replaces `reporting.daily_totals` with the lists' orders and cents per day.
    private static func storeDailyTotals(_ lists: [DayList], on connection: PostgresConnection) throws {
        try connection.execute("delete from reporting.daily_totals")
        try connection.copyIn("copy reporting.daily_totals (order_date, orders, revenue) from stdin") { writer in
            for list in lists {
                CopyText.appendDate(try Self.date(list.dateKey), to: writer.pending)
                writer.pending.append(0x09)
                CopyText.appendInt(list.orders, to: writer.pending)
                writer.pending.append(0x09)
                CopyText.appendCents(list.cents, to: writer.pending)
                writer.pending.append(0x0A)
            }
        }
    }

    /// Makes `reporting.day_leaders` and `reporting.day_leader_bounds` hold these lists, changing
    /// only the rows that differ (``TableRewrite``).
    private static func storeLeaders(_ lists: [DayList], on connection: PostgresConnection) throws {
        let bounds = ByteBuffer(capacity: lists.count * 24)
        let leaders = ByteBuffer(capacity: lists.reduce(0) { $0 + $1.leaders.count } * 32)
        for list in lists {
            let day = try Self.date(list.dateKey)
            CopyText.appendDate(day, to: bounds)
            bounds.append(0x09)
            CopyText.appendCents(list.unlistedMax, to: bounds)
            bounds.append(0x0A)
            for leader in list.leaders {
                CopyText.appendDate(day, to: leaders)
                leaders.append(0x09)
                CopyText.appendInt(Int64(leader.customer), to: leaders)
                leaders.append(0x09)
                CopyText.appendCents(leader.cents, to: leaders)
                leaders.append(0x0A)
            }
        }
        try TableRewrite.dayLeaderBounds.replace(with: bounds, on: connection)
        try TableRewrite.dayLeaders.replace(with: leaders, on: connection)
    }
}

extension TableRewrite {
    static let dayLeaders = TableRewrite(
        table: "reporting.day_leaders", columns: ["order_date", "customer_key", "total_value"],
        readExpressions: ["to_char(order_date, 'YYYY-MM-DD')", "customer_key", "total_value"])
    static let dayLeaderBounds = TableRewrite(
        table: "reporting.day_leader_bounds", columns: ["order_date", "unlisted_max"],
        readExpressions: ["to_char(order_date, 'YYYY-MM-DD')", "unlisted_max"])
    static let blockLeaders = TableRewrite(
        table: "reporting.block_leaders", columns: ["level", "block_start", "customer_key", "total_value", "order_count"],
        readExpressions: ["level", "to_char(block_start, 'YYYY-MM-DD')", "customer_key", "total_value", "order_count"])
    static let blockLeaderBounds = TableRewrite(
        table: "reporting.block_leader_bounds", columns: ["level", "block_start", "unlisted_max"],
        readExpressions: ["level", "to_char(block_start, 'YYYY-MM-DD')", "unlisted_max"])
}
