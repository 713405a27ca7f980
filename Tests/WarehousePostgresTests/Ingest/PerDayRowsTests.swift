import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// The day customers' bitmaps a load writes from its rows filed by day are the same whether they
/// were held from the ranking of the days or, past the memory budget, written from the sums when
/// stored: each day's customers, read back bit by bit in SQL, are those of the rows given.
@Suite(.blockingWork) struct PerDayRowsTests {
    @Test(arguments: [Int.max, 0]) func dayCustomersAreTheRowsCustomers(bitmapBudget: Int) throws {
        var random = FixtureRandom(seed: 5)
        let first = CivilDate(iso: "2023-11-01")!
        // Keys in three chunks of 8,192, on 12 days.
        let rows = (0..<5_000).map { _ in (day: first.adding(days: random.next(12)), customer: Int32(1 + random.next(20_000)), cents: Int64(100 + random.next(900))) }
        let sums = DayLeaderSums()
        for row in rows { try sums.add(dateKey: row.day.key, customer: row.customer, cents: row.cents) }
        let perDay = try sums.perDayRows(depth: 5, bitmapBudget: bitmapBudget)
        #expect((perDay.customerBitmaps == nil) == (bitmapBudget == 0))

        let expected = Set(rows.map { "\($0.day) \($0.customer)" })
        let written = try withReportDatabase { connection in
            try connection.execute("begin")
            try sums.storePerDayTables(perDay, on: connection)
            return try connection.execute("""
                select order_date::text || ' ' || (chunk * 8192 + bit)::text as pair
                from reporting.day_customers, generate_series(0, 8191) as bit
                where get_bit(members, bit) = 1
                """).rows.map { try $0.string("pair") }
        }
        #expect(written.count == expected.count)
        let missing = expected.subtracting(written), extra = Set(written).subtracting(expected)
        #expect(missing.isEmpty && extra.isEmpty, "\(missing.count) missing, e.g. \(missing.sorted().prefix(3)); \(extra.count) extra")
    }
}
