import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// The first load's per-day lists of biggest customers: the same as sorting each day's sums, with
/// days spilled to the temporary file, far-apart days, ties, zero prices and prices too large; and
/// each day's orders and cents, the same as a dictionary's.
@Suite("DayLeaderSums", .blockingWork)
struct DayLeaderSumsTests {
    /// Each day's customers by cents (most first, ties by key), cut at `depth`, and the best left out.
    static func reference(_ rows: [(key: Int32, customer: Int32, cents: Int64)], depth: Int) -> [DayLeaderSums.DayList] {
        var perDay: [Int32: [Int32: Int64]] = [:]
        for row in rows { perDay[row.key, default: [:]][row.customer, default: 0] += row.cents }
        var lists: [DayLeaderSums.DayList] = []
        for key in perDay.keys.sorted() {
            var sums: [(customer: Int32, cents: Int64)] = perDay[key]!.map { (customer: $0.key, cents: $0.value) }
            sums.sort { (a: (customer: Int32, cents: Int64), b: (customer: Int32, cents: Int64)) -> Bool in
                a.cents != b.cents ? a.cents > b.cents : a.customer < b.customer
            }
            let unlisted: Int64 = sums.count > depth ? sums[depth].cents : 0
            let day = rows.filter { $0.key == key }
            lists.append(DayLeaderSums.DayList(dateKey: key, leaders: Array(sums.prefix(depth)), unlistedMax: unlisted,
                                               orders: Int64(day.count), cents: day.map(\.cents).reduce(0, +)))
        }
        return lists
    }

    @Test("many rows a day (spilled), days far apart, ties and zero prices: the same as sorting each day",
          arguments: [1, 5, 200])
    func matchesSortingEachDay(depth: Int) throws {
        var random = SystemRandomNumberGenerator()
        var rows: [(key: Int32, customer: Int32, cents: Int64)] = []
        for index in 0..<20_000 {
            let day = CivilDate(iso: "2023-01-01")!.adding(days: index % 7)
            rows.append((day.key, Int32.random(in: 1...300, using: &random), [0, 100, 250, 999][Int.random(in: 0..<4, using: &random)]))
        }
        // A day centuries away (outside the offset slots) and one with a single customer.
        rows += [(CivilDate(iso: "1066-10-14")!.key, 3, 500), (CivilDate(iso: "2099-12-31")!.key, 7, 0)]
        rows.shuffle(using: &random)
        let sums = DayLeaderSums()
        for row in rows { try sums.add(dateKey: row.key, customer: row.customer, cents: row.cents) }
        #expect(!sums.overflowed)
        #expect(try sums.lists(depth: depth) == Self.reference(rows, depth: depth))
    }

    @Test("a price of 2^32 cents or more cannot be filed: the lists must come from the facts")
    func hugePriceOverflows() throws {
        let sums = DayLeaderSums()
        try sums.add(dateKey: 20231201, customer: 1, cents: 100)
        #expect(!sums.overflowed)
        try sums.add(dateKey: 20231201, customer: 2, cents: Int64(UInt32.max) + 1)
        #expect(sums.overflowed)
    }

    @Test("more distinct days than it files: the lists must come from the facts")
    func tooManyDaysOverflow() throws {
        let sums = DayLeaderSums()
        let first = CivilDate(iso: "1900-01-01")!
        for offset in 0..<DayLeaderSums.maximumDays {
            try sums.add(dateKey: first.adding(days: offset).key, customer: 1, cents: 1)
        }
        #expect(!sums.overflowed)
        try sums.add(dateKey: first.adding(days: DayLeaderSums.maximumDays).key, customer: 1, cents: 1)
        #expect(sums.overflowed)
    }

    @Test("the heap keeps the best entries, most cents first and ties by the lower key")
    func topEntries() {
        var top = TopEntries(capacity: 3)
        for (customer, cents) in [(5, 10), (2, 30), (9, 30), (1, 10), (4, 20), (3, 30)] as [(Int32, Int64)] {
            top.offer(customer: customer, cents: cents)
        }
        #expect(top.sorted().map(\.customer) == [2, 3, 9])
    }

    @Test("days in any order, far apart and outside the slots: each day's orders and cents as a dictionary's, in key order",
          arguments: [false, true])
    func dayTotalsMatchADictionary(shuffled: Bool) throws {
        var random = SystemRandomNumberGenerator()
        var keys: [Int32] = (0..<3_000).map { index in
            let day = CivilDate(year: 2023, month: 1, day: 1)!.adding(days: index % 400)
            return day.key
        }
        // A day centuries away (a dictionary entry) and years apart (the slots grow).
        keys += [CivilDate(iso: "1066-10-14")!.key, CivilDate(iso: "2099-12-31")!.key, CivilDate(iso: "2000-02-29")!.key]
        if shuffled { keys.shuffle(using: &random) }
        let sums = DayLeaderSums()
        var reference: [Int32: (Int64, Int64)] = [:]
        for (index, key) in keys.enumerated() {
            let cents = Int64(index % 977 + 1)
            try sums.add(dateKey: key, customer: Int32(index % 50), cents: cents)
            reference[key, default: (0, 0)].0 += 1
            reference[key, default: (0, 0)].1 += cents
        }
        let expected = reference.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.0) \($0.value.1)" }
        #expect(try sums.lists(depth: 5).map { "\($0.dateKey) \($0.orders) \($0.cents)" } == expected)
    }
}
