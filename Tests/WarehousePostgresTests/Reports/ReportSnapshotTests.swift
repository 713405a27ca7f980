import Testing
import WarehouseKit
import WarehouseTestSupport

/// A newer snapshot that moves an order to another customer, changes a date and a price: the
/// summary tables the load maintains, and so all three reports, must follow.
@Suite("Report: a newer snapshot changes orders", .blockingWork)
struct ReportSnapshotTests {
    static let first = """
        1,Ann,10.00,2023-12-05,lounge,1
        2,Ann,20.00,2023-12-06,lounge,1
        3,Ben,30.00,2023-12-07,parking,1
        4,Ben,40.00,2023-12-01,parking,1
        5,Cid,5.00,2023-12-08,transfer,1
        7,Eve,3.00,2023-12-10,lounge,1

        """

    // Order 2 moves Ann -> Cid, order 4's date moves into the window, order 5's price goes
    // 5.00 -> 50.00, order 7 (Eve's only one) moves to Ann, and Dan's new order 6 lies after the as-of day.
    static let second = """
        1,Ann,10.00,2023-12-05,lounge,1
        2,Cid,20.00,2023-12-06,lounge,1
        3,Ben,30.00,2023-12-07,parking,1
        4,Ben,40.00,2023-12-09,parking,1
        5,Cid,50.00,2023-12-08,transfer,1
        6,Dan,1.00,2023-12-12,transfer,2
        7,Ann,3.00,2023-12-10,lounge,1

        """

    @Test("all three reports follow changed customers, dates and prices")
    func reportsFollowTheNewSnapshot() throws {
        try withReportDatabase { connection in
            try ingest(Self.first, on: connection)
            #expect(try report(.totalOrders, on: connection).table == [
                ["Ann", "2", "30.00", "2023-12-05", "2023-12-06"],
                ["Ben", "2", "70.00", "2023-12-01", "2023-12-07"],
                ["Cid", "1", "5.00", "2023-12-08", "2023-12-08"],
                ["Eve", "1", "3.00", "2023-12-10", "2023-12-10"],
            ])
            #expect(try report(.mostRecentOrder, on: connection).table == [
                ["Eve", "7", "2023-12-10", "lounge", "3.00", "1"],
                ["Cid", "5", "2023-12-08", "transfer", "5.00", "1"],
                ["Ben", "3", "2023-12-07", "parking", "30.00", "1"],
                ["Ann", "2", "2023-12-06", "lounge", "20.00", "1"],
            ])
            #expect(try report(.topCustomers, asOf: "2023-12-10", on: connection).table == [
                ["1", "Ann", "30.00", "2"],
                ["1", "Ben", "30.00", "1"],
                ["3", "Cid", "5.00", "1"],
                ["4", "Eve", "3.00", "1"],
            ])

            let summary = try ingest(Self.second, on: connection)
            #expect(summary.updated == 4 && summary.inserted == 1 && summary.unchanged == 2)

            // Eve has no order left: she leaves every report.
            #expect(try report(.totalOrders, on: connection).table == [
                ["Ann", "2", "13.00", "2023-12-05", "2023-12-10"],
                ["Ben", "2", "70.00", "2023-12-07", "2023-12-09"],
                ["Cid", "2", "70.00", "2023-12-06", "2023-12-08"],
                ["Dan", "1", "1.00", "2023-12-12", "2023-12-12"],
            ])
            #expect(try report(.mostRecentOrder, on: connection).table == [
                ["Dan", "6", "2023-12-12", "transfer", "1.00", "2"],
                ["Ann", "7", "2023-12-10", "lounge", "3.00", "1"],
                ["Ben", "4", "2023-12-09", "parking", "40.00", "1"],
                ["Cid", "5", "2023-12-08", "transfer", "50.00", "1"],
            ])
            #expect(try report(.topCustomers, asOf: "2023-12-10", on: connection).table == [
                ["1", "Ben", "70.00", "2"],
                ["1", "Cid", "70.00", "2"],
                ["3", "Ann", "13.00", "2"],
            ])
            #expect(try summaryDifferences(on: connection) == 0)
        }
    }

    /// Rows where the per-load summary tables differ from a recomputation over every fact.
    func summaryDifferences(on connection: PostgresConnection) throws -> Int {
        try connection.execute("""
            with totals as (
                select customer_key, count(*) as order_count, sum(price) as total_value,
                       min(order_date) as first_order_date, max(order_date) as last_order_date
                from warehouse.fact_orders group by customer_key
            ),
            latest as (
                select distinct on (customer_key) customer_key, order_id, order_date, product_key, price, passenger_count
                from warehouse.fact_orders order by customer_key, order_date desc, order_id desc
            ),
            kept_totals as (select customer_key, order_count, total_value, first_order_date, last_order_date from reporting.customer_order_totals),
            kept_latest as (select customer_key, order_id, order_date, product_key, price, passenger_count from reporting.customer_latest_order)
            select
                (select count(*) from (select * from totals except select * from kept_totals) as a)
              + (select count(*) from (select * from kept_totals except select * from totals) as b)
              + (select count(*) from (select * from latest except select * from kept_latest) as c)
              + (select count(*) from (select * from kept_latest except select * from latest) as d) as n
            """).single().int("n")
    }
}
