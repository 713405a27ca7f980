import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// The streamed sums behind a bulk load's kept weeks; the loaded result is compared with SQL
/// in KeptWeeksTests.
@Suite("Ingest: recent weeks summed while streaming", .blockingWork)
struct RecentWeekSumsTests {
    func totals(_ cents: [Int64]) -> [Int32: RecentWeekSums.Sums] {
        Dictionary(uniqueKeysWithValues: cents.enumerated().map { (Int32($0.offset), .init(cents: $0.element, orders: 1)) })
    }

    @Test("the ranking keeps every customer at or above the depth-th value, as rank() <= depth does")
    func tiesAtTheCut() {
        let values = totals([500, 400, 500, 400, 300, 400])
        #expect(RecentWeekSums.ranked(values, depth: 1).map(\.1.cents) == [500, 500])
        #expect(RecentWeekSums.ranked(values, depth: 2).map(\.1.cents) == [500, 500])
        #expect(RecentWeekSums.ranked(values, depth: 3).map(\.1.cents) == [500, 500, 400, 400, 400])
        #expect(RecentWeekSums.ranked(values, depth: 5).map(\.1.cents) == [500, 500, 400, 400, 400])
        #expect(RecentWeekSums.ranked(values, depth: 6).count == 6)
        #expect(RecentWeekSums.ranked(values, depth: 60).count == 6)
    }

    func order(_ id: Int64, _ date: String, cents: Int64) -> ValidatedOrder {
        ValidatedOrder(orderID: id, customerName: "c", productID: "p", priceCents: cents,
                       date: CivilDate(iso: date)!, passengerCount: 1)
    }

    func day(_ date: String) -> Int { CivilDate(iso: date)!.daysSinceEpoch }

    @Test("only the 14 days ending on the latest order are summed, whatever the order of the rows")
    func keepsTheLatestFortnight() throws {
        var sums = RecentWeekSums()
        sums.add(order(1, "2023-12-01", cents: 100), customer: 1)
        sums.add(order(2, "2023-12-20", cents: 200), customer: 1)   // drops days up to 12-06
        sums.add(order(3, "2023-12-07", cents: 300), customer: 2)   // the oldest day kept
        sums.add(order(4, "2023-12-06", cents: 400), customer: 2)   // too old: ignored
        sums.add(order(5, "2023-12-14", cents: 500), customer: 1)
        let week = try #require(sums.window(endingOn: day("2023-12-20"), length: 7))
        #expect(week[1]?.cents == 500 + 200 && week[1]?.orders == 2 && week[2] == nil)
        let before = try #require(sums.window(endingOn: day("2023-12-13"), length: 7))
        #expect(before[2]?.cents == 300 && before[1] == nil)
        #expect(sums.window(endingOn: day("2023-12-12"), length: 7) == nil, "reaches 12-06, not kept")
        #expect(sums.window(endingOn: day("2023-12-26"), length: 7) != nil, "days after the latest are empty")
    }

    @Test("past its budget of (day, customer) pairs it gives up and keeps nothing")
    func budget() {
        var sums = RecentWeekSums(entryBudget: 3)
        for customer in Int32(1)...3 { sums.add(order(Int64(customer), "2023-12-10", cents: 1), customer: customer) }
        sums.add(order(9, "2023-12-10", cents: 1), customer: 3)
        #expect(!sums.gaveUp && sums.window(endingOn: day("2023-12-10"), length: 7)?.count == 3)
        sums.add(order(10, "2023-12-09", cents: 1), customer: 3)
        #expect(sums.gaveUp && sums.window(endingOn: day("2023-12-10"), length: 7) == nil)
    }
}
