import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// The leaders of aligned blocks of 2^level days (migration 0015), as computed while the days are
/// ranked: the same as summing each block's rows and sorting them, at every level, with ties,
/// gaps between days, blocks before 1970 and a far-away day.
@Suite("BlockLeaderSums", .blockingWork)
struct BlockLeaderSumsTests {
    typealias Row = (key: Int32, customer: Int32, cents: Int64)

    /// Every block of every level that holds a row: its customers by cents (most first, ties by
    /// key) cut at `depth` with their order counts, and the best left out.
    static func reference(_ rows: [Row], levels: [Int], depth: Int) -> [BlockLeaderSums.BlockList] {
        var lists: [BlockLeaderSums.BlockList] = []
        for level in levels {
            var perBlock: [Int: [Int32: (cents: Int64, orders: Int32)]] = [:]
            for row in rows {
                let day = CivilDate(key: row.key)!.daysSinceEpoch
                let start = (day >> level) << level
                perBlock[start, default: [:]][row.customer, default: (0, 0)].cents += row.cents
                perBlock[start, default: [:]][row.customer, default: (0, 0)].orders += 1
            }
            for start in perBlock.keys.sorted() {
                let sorted = perBlock[start]!.sorted { $0.value.cents != $1.value.cents ? $0.value.cents > $1.value.cents : $0.key < $1.key }
                lists.append(BlockLeaderSums.BlockList(
                    level: level, start: start,
                    leaders: sorted.prefix(depth).map { .init(customer: $0.key, cents: $0.value.cents, orders: $0.value.orders) },
                    unlistedMax: sorted.count > depth ? sorted[depth].value.cents : 0))
            }
        }
        return lists
    }

    @Test("every level's blocks equal summing and sorting their rows", arguments: [1, 7, 400])
    func matchesSortingEachBlock(depth: Int) throws {
        var random = SystemRandomNumberGenerator()
        var rows: [Row] = []
        let first = CivilDate(iso: "1969-11-20")!
        for _ in 0..<30_000 {
            // 400 days across 1970-01-01, with gaps: every fifth day has no order.
            var offset = Int.random(in: 0..<400, using: &random)
            if offset % 5 == 0 { offset += 1 }
            rows.append((first.adding(days: offset).key, Int32.random(in: 1...500, using: &random),
                         [0, 100, 250, 999, 5_000][Int.random(in: 0..<5, using: &random)]))
        }
        rows.append((CivilDate(iso: "2099-12-31")!.key, 9, 700))
        rows.shuffle(using: &random)
        let sums = DayLeaderSums()
        for row in rows { try sums.add(dateKey: row.key, customer: row.customer, cents: row.cents) }
        // On a thread of its own while this one ranks the days, as in a load.
        let levels = Array(1...8)
        let background = BackgroundDayLists(sums: sums, dayDepth: 5, blockLevels: levels, blockDepth: depth)
        #expect(try sums.lists(depth: 5) == DayLeaderSumsTests.reference(rows, depth: 5))
        #expect(try background.perDayRows().lists == DayLeaderSumsTests.reference(rows, depth: 5))
        let byBlock = { (lists: [BlockLeaderSums.BlockList]) in lists.sorted { ($0.level, $0.start) < ($1.level, $1.start) } }
        let actual = byBlock(try background.blockLists()), expected = byBlock(Self.reference(rows, levels: levels, depth: depth))
        #expect(actual.count == expected.count)
        for (a, e) in zip(actual, expected) { #expect(a == e, "level \(e.level) block \(e.start)") }
    }
}
