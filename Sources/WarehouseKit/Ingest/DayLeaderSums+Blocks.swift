extension DayLeaderSums {
    /// The leaders of every aligned block of days that holds a row (``BlockLeaderSums``), from the
    /// rows filed by day: a pass of its own over them, which may run on another thread beside
    /// ``lists(depth:customers:)`` (``BackgroundBlockLists``).
    func blockLists(depth: Int) throws -> [BlockLeaderSums.BlockList] {
        let blocks = BlockLeaderSums(depth: depth, customers: customerCapacity)
        // -1: the customer has no order on the day being summed.
        var sums = [Int64](repeating: -1, count: customerCapacity)
        var counts = [Int32](repeating: 0, count: customerCapacity)
        var seen: [Int32] = []
        try forEachDay { dateKey, readEntries in
            seen.removeAll(keepingCapacity: true)
            try readEntries { entries in
                for entry in entries {
                    let customer = Int(entry >> 32)
                    if sums[customer] < 0 {
                        seen.append(Int32(customer))
                        sums[customer] = 0
                    }
                    sums[customer] += Int64(entry & 0xFFFF_FFFF)
                    counts[customer] &+= 1
                }
            }
            let day = try Self.date(dateKey).daysSinceEpoch
            sums.withUnsafeBufferPointer { daySums in
                counts.withUnsafeBufferPointer { dayCounts in
                    blocks.addDay(day, customers: seen, daySums: daySums, dayCounts: dayCounts)
                }
            }
            for customer in seen {
                sums[Int(customer)] = -1
                counts[Int(customer)] = 0
            }
        }
        blocks.finish()
        return blocks.lists
    }
}
