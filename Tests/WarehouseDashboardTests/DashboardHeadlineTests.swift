import Testing
import WarehouseKit
@testable import WarehouseServer
import WarehouseTestSupport

/// The headline reads the weeks the last load kept (migration 0007) when it can, and the facts
/// otherwise, with the same figures either way.
@Suite("Dashboard: headline figures from kept weeks", .blockingWork)
struct DashboardHeadlineTests {
    @Test("kept weeks and a scan of the facts give the same headline; the kept ones are what is read")
    func keptMatchesScan() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        try DashboardTestServer.load(DashboardFixture.orders, into: database)
        let connection = try database.connect()
        // The fixture's latest order is dated 2023-12-11, so the load kept the weeks ending on
        // 12-11 (12-05 ..= 12-11: orders 2, 4, 5, 6, 7, 9, 10) and on 12-04 (orders 1, 3, 8).
        let asOf = try #require(CivilDate(iso: "2023-12-11"))
        let store = HeadlineStore(connection: connection)
        let kept = try store.figures(asOf: asOf, days: 7)
        #expect(kept.orders == .init(current: "7", previous: "3"))
        #expect(kept.customers == .init(current: "7", previous: "3"))
        #expect(kept.revenue == .init(current: "2497.55", previous: "560.00"))
        #expect(kept.previousWindow == ReportWindow(start: "2023-11-28", end: "2023-12-04", days: 7))

        try connection.execute("update reporting.window_summaries set orders = orders + 100")
        #expect(try store.figures(asOf: asOf, days: 7).orders == .init(current: "107", previous: "103"))

        try connection.execute("delete from reporting.window_summaries")
        #expect(try store.figures(asOf: asOf, days: 7) == kept)
    }
}
