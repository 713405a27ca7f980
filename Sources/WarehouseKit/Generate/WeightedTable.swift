/// Picks an index with probability proportional to integer weights: exact, so portable.
struct WeightedTable: Sendable {
    /// Running totals: `cumulative[i]` = weights[0...i].
    private let cumulative: [UInt64]

    init(weights: [UInt64]) {
        precondition(!weights.isEmpty, "a weighted table needs at least one weight")
        var total: UInt64 = 0
        cumulative = weights.map { weight in
            total += weight
            return total
        }
        precondition(total > 0, "a weighted table needs a positive weight")
    }

    var count: Int { cumulative.count }

    @inline(__always)
    func pick(using random: inout SeededRandom) -> Int {
        let target = random.next(below: cumulative[cumulative.count - 1])
        // Binary search for the first running total above target.
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) >> 1
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
