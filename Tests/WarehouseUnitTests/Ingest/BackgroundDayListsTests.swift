import Foundation
import Testing
@testable import WarehouseKit

/// The day lists' thread waits for the block lists to be asked for; a load that gives up before
/// that must not leave it waiting for ever, holding the filed rows and their temporary file.
@Suite("BackgroundDayLists")
struct BackgroundDayListsTests {
    @Test("a load that lets go before the block lists releases the thread")
    func abandonedBeforeTheBlockListsEnds() throws {
        weak var filed: DayLeaderSums?
        do {
            let sums = DayLeaderSums()
            for day in 0..<40 { try sums.add(dateKey: CivilDate(iso: "2023-11-01")!.adding(days: day % 20).key, customer: Int32(1 + day), cents: 100) }
            filed = sums
            let background = BackgroundDayLists(sums: sums, dayDepth: 3, blockLevels: [1, 2], blockDepth: 3)
            #expect(try background.perDayRows().lists.count == 20)
        }
        // The thread holds the rows until it ends: polled, with a deadline.
        let deadline = Date().addingTimeInterval(20)
        while filed != nil, Date() < deadline { usleep(2_000) }
        #expect(filed == nil, "the day lists' thread still holds the rows")
    }
}
