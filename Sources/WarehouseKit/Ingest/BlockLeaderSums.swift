/// Each aligned block of 2^level days' biggest customers (`reporting.block_leaders`, migration
/// 0015), from the days' per-customer sums handed over in day order by ``DayLeaderSums``.
///
/// A block of level `j` holds the days numbered `b * 2^j ..< (b + 1) * 2^j` since 1970-01-01, so
/// every level moves to its next block on its own as the days go by; each level keeps its running
/// sums indexed by customer key (12 bytes a customer and level: 19 MB at 200k customers).
final class BlockLeaderSums {
    static let levels = 1...8

    /// One block's list: its `depth` biggest customers (ties by key) with their exact totals and
    /// order counts, and the largest total of a customer left out (0 when none is).
    struct BlockList: Equatable {
        var level: Int
        /// The block's first day, in days since 1970-01-01.
        var start: Int
        var leaders: [Leader]
        var unlistedMax: Int64
    }

    struct Leader: Equatable {
        var customer: Int32
        var cents: Int64
        var orders: Int32
    }

    let depth: Int
    private(set) var lists: [BlockList] = []
    private let customerCount: Int
    /// Per level, each customer's running sum (-1: no order in the block yet) and order count,
    /// level after level: a day touches level 1's 12 bytes a customer, a block that ends those of
    /// its level and the next, so the memory in use at any time stays in the processor's caches.
    /// Raw memory: the inner loops run for every customer of every day and block, and a class's
    /// array properties would check exclusive access on each use.
    private let sums: UnsafeMutablePointer<Int64>
    private let counts: UnsafeMutablePointer<Int32>
    /// Per level: the block being summed and the customers seen in it.
    private var blocks: [Int?]
    private var seen: [[Int32]]

    init(depth: Int, customers: Int) {
        self.depth = depth
        customerCount = customers
        let size = Self.levels.count * customers
        sums = .allocate(capacity: size)
        sums.initialize(repeating: -1, count: size)
        counts = .allocate(capacity: size)
        counts.initialize(repeating: 0, count: size)
        blocks = Array(repeating: nil, count: Self.levels.upperBound + 1)
        seen = Array(repeating: [], count: Self.levels.upperBound + 1)
    }

    deinit {
        sums.deallocate()
        counts.deallocate()
    }

    /// One day with orders, later than every day added before: `customers` each spent
    /// `daySums[customer]` cents in `dayCounts[customer]` orders on it.
    func addDay(_ day: Int, customers: [Int32], daySums: UnsafeBufferPointer<Int64>, dayCounts: UnsafeBufferPointer<Int32>) {
        for level in Self.levels {
            let block = day >> level
            if blocks[level] != block {
                flush(level)
                blocks[level] = block
            }
        }
        // The day goes into its level-1 block only; each block passes its sums up to the block of
        // the next level that holds it when it ends (``flush(_:)``).
        var levelSeen: [Int32] = []
        swap(&levelSeen, &seen[1])
        for customer in customers {
            let index = Int(customer)
            add(customer, at: index, cents: daySums[index], orders: dayCounts[index], seen: &levelSeen)
        }
        swap(&levelSeen, &seen[1])
    }

    @inline(__always)
    private func add(_ customer: Int32, at slot: Int, cents: Int64, orders: Int32, seen: inout [Int32]) {
        if sums[slot] < 0 {
            seen.append(customer)
            sums[slot] = cents
            counts[slot] = orders
        } else {
            sums[slot] &+= cents
            counts[slot] &+= orders
        }
    }

    /// Ends the last blocks: call once, after the last day.
    func finish() {
        for level in Self.levels { flush(level) }
    }

    private func flush(_ level: Int) {
        guard let block = blocks[level], !seen[level].isEmpty else { return }
        let base = (level - 1) * customerCount
        var top = TopEntries(capacity: depth + 1)
        for customer in seen[level] { top.offer(customer: customer, cents: sums[base + Int(customer)]) }
        let ranked = top.sorted()
        lists.append(BlockList(
            level: level, start: block << level,
            leaders: ranked.prefix(depth).map { Leader(customer: $0.customer, cents: $0.cents, orders: counts[base + Int($0.customer)]) },
            unlistedMax: ranked.count > depth ? ranked[depth].cents : 0))
        // Up into the next level's block (the one holding this block: levels end in ascending order).
        var above: [Int32] = []
        if level < Self.levels.upperBound { swap(&above, &seen[level + 1]) }
        for customer in seen[level] {
            let at = base + Int(customer)
            if level < Self.levels.upperBound {
                add(customer, at: at + customerCount, cents: sums[at], orders: counts[at], seen: &above)
            }
            sums[at] = -1
            counts[at] = 0
        }
        if level < Self.levels.upperBound { swap(&above, &seen[level + 1]) }
        seen[level].removeAll(keepingCapacity: true)
    }
}
