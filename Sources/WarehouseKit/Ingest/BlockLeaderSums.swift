/// The biggest customers of each aligned block of 2^level days (`reporting.block_leaders`,
/// migration 0015) for one level, from the days' per-customer sums handed over in day order (see
/// ``DayLeaderSums/blockLists(levels:depth:)``, which makes one pass a level).
///
/// Block `b` holds the days numbered `b * 2^level ..< (b + 1) * 2^level` since 1970-01-01, so the
/// level moves to its next block on its own as the days go by. One level at a time: a level's
/// running sums take 12 bytes a customer (2.4 MB at 200k customers, 12 MB at a million), and all
/// levels at once cost a load's peak memory 17 MB more at 200k.
final class BlockLeaderSums {
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

    let level: Int
    let depth: Int
    private(set) var lists: [BlockList] = []
    /// Each customer's running sum in the current block (-1: no order in it yet) and order count.
    /// Raw memory: the inner loop runs for every customer of every day, and a class's array
    /// properties would check exclusive access on each use.
    private let sums: UnsafeMutablePointer<Int64>
    private let counts: UnsafeMutablePointer<Int32>
    private let customerCount: Int
    /// The block being summed and the customers seen in it.
    private var block: Int?
    private var seen: [Int32] = []

    init(level: Int, depth: Int, customers: Int) {
        self.level = level
        self.depth = depth
        customerCount = customers
        sums = .allocate(capacity: customers)
        sums.initialize(repeating: -1, count: customers)
        counts = .allocate(capacity: customers)
        counts.initialize(repeating: 0, count: customers)
    }

    deinit {
        sums.deallocate()
        counts.deallocate()
    }

    /// One day with orders, later than every day added before: `customers` each spent
    /// `daySums[customer]` cents in `dayCounts[customer]` orders on it.
    func addDay(_ day: Int, customers: [Int32], daySums: UnsafeBufferPointer<Int64>, dayCounts: UnsafeBufferPointer<Int32>) {
        let dayBlock = day >> level
        if block != dayBlock {
            flush()
            block = dayBlock
        }
        for customer in customers {
            let index = Int(customer)
            if sums[index] < 0 {
                seen.append(customer)
                sums[index] = daySums[index]
                counts[index] = dayCounts[index]
            } else {
                sums[index] &+= daySums[index]
                counts[index] &+= dayCounts[index]
            }
        }
    }

    /// Ends the last block: call once, after the last day.
    func finish() {
        flush()
    }

    private func flush() {
        guard let block, !seen.isEmpty else { return }
        var top = TopEntries(capacity: depth + 1)
        for customer in seen { top.offer(customer: customer, cents: sums[Int(customer)]) }
        let ranked = top.sorted()
        lists.append(BlockList(
            level: level, start: block << level,
            leaders: ranked.prefix(depth).map { Leader(customer: $0.customer, cents: $0.cents, orders: counts[Int($0.customer)]) },
            unlistedMax: ranked.count > depth ? ranked[depth].cents : 0))
        for customer in seen {
            sums[Int(customer)] = -1
            counts[Int(customer)] = 0
        }
        seen.removeAll(keepingCapacity: true)
    }
}
