extension DayLeaderSums {
    /// Replaces the per-day tables with what the rows filed by day say (a first load's, or a full
    /// snapshot's after its merge), inside the load's transaction: each day's customers as bitmaps
    /// (`reporting.day_customers`, migration 0013) while the days are ranked, then the day leaders
    /// (0012) and the orders and revenue per day (0011) from the ranked lists. The leaders of
    /// blocks of days (0015) come from ``startBlockLists(on:)`` and ``storeBlockLeaders(_:on:)``.
    /// - Throws: ``PostgresError``, ``IngestError``.
    func storePerDayTables(on connection: PostgresConnection) throws {
        let depth = try connection.execute("select reporting.day_leader_depth() as depth").single().int("depth")
        var lists: [DayList] = []
        try connection.execute("delete from reporting.day_customers")
        try connection.copyIn("copy reporting.day_customers (order_date, chunk, members) from stdin") { writer in
            var bitmaps = DayCustomerBitmaps()
            lists = try self.lists(depth: depth) { dateKey, customers in
                bitmaps.append(day: try Self.date(dateKey), customers: customers, to: writer.pending)
                try writer.flushIfNeeded()
            }
        }
        try storeLeaders(lists, on: connection)
        try storeDailyTotals(lists, on: connection)
    }

    /// Starts computing the block lists beside the load (``BackgroundBlockLists``); no row may be
    /// added after this.
    func startBlockLists(on connection: PostgresConnection) throws -> BackgroundBlockLists {
        let depth = try connection.execute("select reporting.block_leader_depth() as depth").single().int("depth")
        let levels = try connection.execute("select l.level from reporting.block_levels() as l (level) order by 1").rows.map { try $0.int("level") }
        return BackgroundBlockLists(sums: self, levels: levels, depth: depth)
    }

    /// Replaces `reporting.block_leaders` and `reporting.block_leader_bounds` (migration 0015).
    static func storeBlockLeaders(_ lists: [BlockLeaderSums.BlockList], on connection: PostgresConnection) throws {
        try connection.execute("delete from reporting.block_leader_bounds")
        try connection.execute("delete from reporting.block_leaders")
        try connection.copyIn("copy reporting.block_leader_bounds (level, block_start, unlisted_max) from stdin") { writer in
            for list in lists {
                CopyText.appendInt(Int64(list.level), to: writer.pending)
                writer.pending.append(0x09)
                CopyText.appendDate(CivilDate(daysSinceEpoch: list.start), to: writer.pending)
                writer.pending.append(0x09)
                CopyText.appendCents(list.unlistedMax, to: writer.pending)
                writer.pending.append(0x0A)
            }
        }
        try connection.copyIn("copy reporting.block_leaders (level, block_start, customer_key, total_value, order_count) from stdin") { writer in
            for list in lists {
                let start = CivilDate(daysSinceEpoch: list.start)
                for leader in list.leaders {
                    CopyText.appendInt(Int64(list.level), to: writer.pending)
                    writer.pending.append(0x09)
                    CopyText.appendDate(start, to: writer.pending)
                    writer.pending.append(0x09)
                    CopyText.appendInt(Int64(leader.customer), to: writer.pending)
                    writer.pending.append(0x09)
                    CopyText.appendCents(leader.cents, to: writer.pending)
                    writer.pending.append(0x09)
                    CopyText.appendInt(Int64(leader.orders), to: writer.pending)
                    writer.pending.append(0x0A)
                }
                try writer.flushIfNeeded()
            }
        }
    }

    static func date(_ key: Int32) throws -> CivilDate {
        guard let date = CivilDate(key: key) else {
            throw IngestError.integrityViolation("an order day \(key) is not a calendar date")
        }
        return date
    }

    /// Replaces `reporting.daily_totals` with the lists' orders and cents per day.
    private func storeDailyTotals(_ lists: [DayList], on connection: PostgresConnection) throws {
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

    /// Replaces `reporting.day_leaders` and `reporting.day_leader_bounds` with these lists.
    private func storeLeaders(_ lists: [DayList], on connection: PostgresConnection) throws {
        try connection.execute("delete from reporting.day_leaders")
        try connection.execute("delete from reporting.day_leader_bounds")
        try connection.copyIn("copy reporting.day_leader_bounds (order_date, unlisted_max) from stdin") { writer in
            for list in lists {
                CopyText.appendDate(try Self.date(list.dateKey), to: writer.pending)
                writer.pending.append(0x09)
                CopyText.appendCents(list.unlistedMax, to: writer.pending)
                writer.pending.append(0x0A)
            }
        }
        try connection.copyIn("copy reporting.day_leaders (order_date, customer_key, total_value) from stdin") { writer in
            for list in lists {
                let day = try Self.date(list.dateKey)
                for leader in list.leaders {
                    CopyText.appendDate(day, to: writer.pending)
                    writer.pending.append(0x09)
                    CopyText.appendInt(Int64(leader.customer), to: writer.pending)
                    writer.pending.append(0x09)
                    CopyText.appendCents(leader.cents, to: writer.pending)
                    writer.pending.append(0x0A)
                }
                try writer.flushIfNeeded()
            }
        }
    }
}
