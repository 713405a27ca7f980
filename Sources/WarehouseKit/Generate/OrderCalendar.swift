/// The days orders fall on, how busy each one is, and their `YYYY-MM-DD` bytes.
///
/// A day's weight is its weekday's times its month's: Fridays and Sundays are the busiest
/// days at an airport, Tuesdays the quietest; July, August and December are peak season,
/// January and February the trough. Weights are integers, so the draw is exact everywhere.
struct OrderCalendar: Sendable {
    /// Monday … Sunday, in percent.
    static let weekdayWeights: [UInt64] = [100, 88, 92, 104, 126, 108, 118]
    /// January … December, in percent.
    static let monthWeights: [UInt64] = [76, 78, 90, 100, 104, 112, 132, 134, 104, 98, 92, 122]

    /// The first day orders are drawn from.
    let start: CivilDate
    /// The last day orders are drawn from.
    let end: CivilDate
    /// The last day any date may be written for (`end` plus the snapshot days).
    let last: CivilDate
    private let table: WeightedTable
    /// `YYYY-MM-DD` of each day from `start` to `last`.
    private let isoDates: ByteTable

    init(start: CivilDate, end: CivilDate, extraDays: Int) {
        precondition(start <= end, "start must not be after end")
        self.start = start
        self.end = end
        last = end.adding(days: extraDays)
        table = WeightedTable(weights: (start.daysSinceEpoch...end.daysSinceEpoch).map {
            Self.weight(of: CivilDate(daysSinceEpoch: $0))
        })
        isoDates = ByteTable((start.daysSinceEpoch...last.daysSinceEpoch).map { CivilDate(daysSinceEpoch: $0).isoBytes })
    }

    static func weight(of date: CivilDate) -> UInt64 {
        weekdayWeights[date.isoWeekday - 1] * monthWeights[date.components.month - 1]
    }

    /// The sum of the day weights from `start` to `end`.
    var totalWeight: UInt64 {
        (start.daysSinceEpoch...end.daysSinceEpoch).reduce(0) { $0 + Self.weight(of: CivilDate(daysSinceEpoch: $1)) }
    }

    /// A day in `start...end`, as an offset from `start`.
    @inline(__always)
    func pickDay(using random: inout SeededRandom) -> Int {
        table.pick(using: &random)
    }

    /// Offset from `start` of the last day that may be written.
    var lastOffset: Int { last.daysSinceEpoch - start.daysSinceEpoch }

    func date(atOffset offset: Int) -> CivilDate {
        start.adding(days: offset)
    }

    /// Writes the day's `YYYY-MM-DD` (the cursor needs 16 bytes of room).
    @inline(__always)
    func writeISO(dayOffset: Int, to cursor: inout ByteCursor) {
        isoDates.write(dayOffset, to: &cursor)
    }

    func isoBytes(dayOffset: Int) -> [UInt8] {
        isoDates[dayOffset]
    }
}
