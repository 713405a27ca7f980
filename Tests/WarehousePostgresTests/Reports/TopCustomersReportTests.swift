import Testing
import WarehouseKit
import WarehouseTestSupport

/// The weekly report's semantics, on a hand-computed fixture. As of 2023-12-10 the 7-day window
/// is 2023-12-04 ..= 2023-12-10.
@Suite("Report: top customers by value", .blockingWork)
struct TopCustomersReportTests {
    static let orders = """
        1,Ann,50.00,2023-12-04,lounge,1
        2,Ann,25.50,2023-12-10,parking,2
        3,Ben,500.00,2023-12-03,transfer,1
        4,Ben,75.50,2023-12-09,transfer,1
        5,Cid,999.99,2023-12-11,lounge,1
        6,Dee,10.00,2023-12-07,fast-track,1
        7,Eve,0.00,2023-12-05,lounge,1

        """

    @Test("day 7 in, day 8 out, after as-of out; equal values share a rank and sort by name")
    func sevenDayWindow() throws {
        try withReportDatabase { connection in
            try ingest(Self.orders, on: connection)
            let result = try report(.topCustomers, asOf: "2023-12-10", on: connection)
            // Ann: 50.00 (12-04, the window's first day) + 25.50 (the as-of day). Ben: only 75.50,
            // his 500.00 on 12-03 is day 8. Cid's 999.99 is dated after the as-of day.
            #expect(result.table == [
                ["1", "Ann", "75.50", "2"],
                ["1", "Ben", "75.50", "1"],
                ["3", "Dee", "10.00", "1"],
                ["4", "Eve", "0.00", "1"],
            ])
            #expect(result.window == ReportWindow(start: "2023-12-04", end: "2023-12-10", days: 7))
            #expect(result.title == "Top customers by value, 2023-12-04 .. 2023-12-10 (7 days)")
            #expect(!result.isTruncated)
        }
    }

    @Test("--days other than 7 moves the window's first day")
    func otherWindowLengths() throws {
        try withReportDatabase { connection in
            try ingest(Self.orders, on: connection)
            let eight = try report(.topCustomers, asOf: "2023-12-10", days: 8, on: connection)
            #expect(eight.table == [
                ["1", "Ben", "575.50", "2"],
                ["2", "Ann", "75.50", "2"],
                ["3", "Dee", "10.00", "1"],
                ["4", "Eve", "0.00", "1"],
            ])
            #expect(eight.window?.start == "2023-12-03")

            let one = try report(.topCustomers, asOf: "2023-12-10", days: 1, on: connection)
            #expect(one.table == [["1", "Ann", "25.50", "1"]])
            #expect(one.title == "Top customers by value, 2023-12-10 .. 2023-12-10 (1 day)")

            // A later as-of day takes in Cid's order and drops Ann's first one.
            let later = try report(.topCustomers, asOf: "2023-12-11", on: connection)
            #expect(later.table == [
                ["1", "Cid", "999.99", "1"],
                ["2", "Ben", "75.50", "1"],
                ["3", "Ann", "25.50", "1"],
                ["4", "Dee", "10.00", "1"],
                ["5", "Eve", "0.00", "1"],
            ])
        }
    }

    @Test("an empty window is an empty result with its window, not an error")
    func emptyWindow() throws {
        try withReportDatabase { connection in
            try ingest(Self.orders, on: connection)
            let result = try report(.topCustomers, asOf: "2023-11-01", on: connection)
            #expect(result.rows.isEmpty)
            #expect(result.window == ReportWindow(start: "2023-10-26", end: "2023-11-01", days: 7))
            #expect(result.emptyMessage == "No orders between 2023-10-26 and 2023-11-01.")
        }
    }

    @Test("the limit keeps the best rows and says when it cut, and when it split a tie")
    func limit() throws {
        try withReportDatabase { connection in
            try ingest(Self.orders, on: connection)
            let one = try report(.topCustomers, asOf: "2023-12-10", limit: .rows(1), on: connection)
            #expect(one.table == [["1", "Ann", "75.50", "2"]])
            #expect(one.isTruncated && one.limitSplitsTie)

            let two = try report(.topCustomers, asOf: "2023-12-10", limit: .rows(2), on: connection)
            #expect(two.rows.count == 2 && two.isTruncated && !two.limitSplitsTie)

            let byDefault = try report(.topCustomers, asOf: "2023-12-10", limit: .default, on: connection)
            #expect(byDefault.rows.count == 4 && !byDefault.isTruncated)
        }
    }

    @Test("a window shorter than one day is refused by the function, not answered with nothing")
    func windowOfNoDays() throws {
        try withReportDatabase { connection in
            try ingest(Self.orders, on: connection)
            for days in ["0", "-3", "null"] {
                let error = try #require(throws: PostgresError.self) {
                    try connection.execute(SQL(unsafeRaw: "select * from reporting.top_customers('2023-12-10', \(days), 10)"))
                }
                #expect(error.sqlState == "22023", "days \(days)")
                #expect(error.description.contains("days must be at least 1"))
            }
        }
    }

    @Test("with no as-of date the window ends on the server's current date")
    func defaultAsOf() throws {
        let (table, end, today) = try onOneServerDay { connection -> ([[String]], String?, String) in
            let today = try connection.execute("select current_date::text as d, (current_date - 6)::text as s, (current_date - 7)::text as o").single()
            try ingest("""
                1,Ann,5.00,\(try today.string("d")),lounge,1
                2,Ben,7.00,\(try today.string("s")),lounge,1
                3,Cid,9.00,\(try today.string("o")),lounge,1

                """, on: connection)
            let result = try report(.topCustomers, on: connection)
            return (result.table, result.window?.end, try today.string("d"))
        }
        #expect(table == [["1", "Ben", "7.00", "1"], ["2", "Ann", "5.00", "1"]])
        #expect(end == today)
    }

    @Test("the view reads warehouse.as_of and agrees with the function")
    func viewMatchesFunction() throws {
        try withReportDatabase { connection in
            try ingest(Self.orders, on: connection)
            try connection.execute("set warehouse.as_of = '2023-12-10'")
            let view = try connection.execute("""
                select rank::text || '|' || customer_name || '|' || total_value || '|' || order_count as line,
                       window_start::text, window_end::text
                from reporting.top_customers_last_week order by rank, customer_name
                """)
            #expect(view.rows.map { $0["line"] } == ["1|Ann|75.50|2", "1|Ben|75.50|1", "3|Dee|10.00|1", "4|Eve|0.00|1"])
            #expect(view.rows.allSatisfy { $0["window_start"] == "2023-12-04" && $0["window_end"] == "2023-12-10" })
        }
    }

    @Test("the function agrees with the plain definition (rank over every customer) on a tie-heavy fixture")
    func functionMatchesDefinition() throws {
        try withReportDatabase { connection in
            // 400 orders of 30 customers over 20 days, prices from 4 values: many equal totals.
            var random = FixtureRandom(seed: 42)
            func next(_ bound: Int) -> Int { random.next(bound) }
            let prices = ["1.00", "2.50", "5.00", "0.00"]
            var rows = ""
            for id in 1...400 {
                rows += "\(id),Customer \(next(30)),\(prices[next(4)]),2023-12-\(10 + next(20)),lounge,1\n"
            }
            try ingest(rows, on: connection)
            for days in [1, 3, 7] {
                for n in [1, 2, 3, 5, 8, 13, 40] as [Int?] + [nil] {
                    let reference = """
                        with w as (
                            select customer_key, sum(price) as total_value, count(*) as order_count
                            from warehouse.fact_orders
                            where order_date between date '2023-12-20' - (\(days)::integer - 1) and date '2023-12-20'
                            group by customer_key
                        )
                        select rank() over (order by total_value desc) as rank, customer_name, total_value, order_count
                        from w join warehouse.dim_customers using (customer_key)
                        order by rank, customer_name
                        limit \(n)
                        """ as SQL
                    let expected = try connection.execute(reference).rows.map { $0.dictionary }
                    let actual = try connection.execute("""
                        select rank, customer_name, total_value, order_count
                        from reporting.top_customers('2023-12-20'::date, \(days)::integer, \(n)::integer)
                        """).rows.map { $0.dictionary }
                    #expect(actual == expected, "days \(days), n \(String(describing: n))")
                    #expect(!expected.isEmpty)
                }
            }
        }
    }
}
