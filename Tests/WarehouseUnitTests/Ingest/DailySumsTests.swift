import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// The first load's per-day sums: the same totals as a dictionary, whatever order the days come in.
@Suite("DailySums", .blockingWork)
struct DailySumsTests {
    @Test("days in any order, far apart and outside the slots: the same as a dictionary, in key order",
          arguments: [false, true])
    func matchesADictionary(shuffled: Bool) {
        var random = SystemRandomNumberGenerator()
        var keys: [Int32] = (0..<3_000).map { index in
            let day = CivilDate(year: 2023, month: 1, day: 1)!.adding(days: index % 400)
            return day.key
        }
        // A day centuries away (a dictionary entry) and years apart (the slots grow).
        keys += [CivilDate(iso: "1066-10-14")!.key, CivilDate(iso: "2099-12-31")!.key, CivilDate(iso: "2000-02-29")!.key]
        if shuffled { keys.shuffle(using: &random) }
        var sums = DailySums()
        var reference: [Int32: (Int64, Int64)] = [:]
        for (index, key) in keys.enumerated() {
            let cents = Int64(index % 977 + 1)
            sums.add(dateKey: key, cents: cents)
            reference[key, default: (0, 0)].0 += 1
            reference[key, default: (0, 0)].1 += cents
        }
        let expected = reference.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.0) \($0.value.1)" }
        #expect(sums.days.map { "\($0.key) \($0.orders) \($0.cents)" } == expected)
    }
}
