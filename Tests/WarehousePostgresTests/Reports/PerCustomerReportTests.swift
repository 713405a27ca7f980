import Testing
import WarehouseKit
import WarehouseTestSupport

/// Total orders and most recent order per customer, on a hand-computed fixture.
@Suite("Report: per-customer totals and most recent order", .blockingWork)
struct PerCustomerReportTests {
    // Ann has two orders on her latest day (2 and 3): the higher order_id, 3, is the latest.
    // Cid's two orders share a day and arrive in descending id order: 10 still wins.
    // Ben has a single order.
    static let orders = """
        1,Ann,10.00,2023-12-01,lounge,1
        2,Ann,20.00,2023-12-05,parking,2
        3,Ann,30.00,2023-12-05,transfer,3
        4,Ben,7.25,2023-11-30,lounge,1
        10,Cid,1.00,2023-12-02,lounge,1
        9,Cid,2.00,2023-12-02,fast-track,4

        """

    @Test("total orders: count, value and date range per customer, most orders first, then by name")
    func totalOrders() throws {
        try withReportDatabase { connection in
            try ingest(Self.orders, on: connection)
            let result = try report(.totalOrders, on: connection)
            #expect(result.columns.map(\.name) == ["customer_name", "total_orders", "total_value", "first_order_date", "last_order_date"])
            #expect(result.table == [
                ["Ann", "3", "60.00", "2023-12-01", "2023-12-05"],
                ["Cid", "2", "3.00", "2023-12-02", "2023-12-02"],
                ["Ben", "1", "7.25", "2023-11-30", "2023-11-30"],
            ])
            #expect(result.window == nil)
            #expect(try report(.totalOrders, limit: .rows(2), on: connection).isTruncated)
        }
    }

    @Test("most recent order: ties on date go to the higher order_id")
    func mostRecentOrder() throws {
        try withReportDatabase { connection in
            try ingest(Self.orders, on: connection)
            let result = try report(.mostRecentOrder, on: connection)
            #expect(result.table == [
                ["Ann", "3", "2023-12-05", "transfer", "30.00", "3"],
                ["Cid", "10", "2023-12-02", "lounge", "1.00", "1"],
                ["Ben", "4", "2023-11-30", "lounge", "7.25", "1"],
            ])
        }
    }

    @Test("an empty warehouse gives empty reports")
    func emptyWarehouse() throws {
        try withReportDatabase { connection in
            for kind in ReportKind.allCases {
                let result = try report(kind, on: connection)
                #expect(result.rows.isEmpty)
                #expect(result.columns == kind.columns)
            }
            #expect(try report(.totalOrders, on: connection).emptyMessage == "No orders loaded yet.")
        }
    }
}
