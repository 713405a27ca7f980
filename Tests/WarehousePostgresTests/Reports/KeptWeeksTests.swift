import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// The weeks every load keeps ready for the weekly report (migration 0007): which weeks, their
/// figures, and that `reporting.top_customers` answers from them exactly as it would from the facts.
@Suite("Report: weeks kept by each load", .blockingWork)
struct KeptWeeksTests {
    // The latest order is dated 2023-12-10, so the kept weeks end on 2023-12-10 (12-04 ..= 12-10)
    // and on 2023-12-03 (11-27 ..= 12-03).
    static let orders = """
        1,Ann,40.00,2023-12-10,lounge,1
        2,Ben,15.00,2023-12-09,lounge,1
        3,Ben,25.00,2023-12-04,parking,2
        4,Cid,30.00,2023-12-08,lounge,1
        5,Dee,5.00,2023-12-03,transfer,1
        6,Ann,7.50,2023-11-27,lounge,1
        7,Eve,99.00,2023-11-26,lounge,1

        """

    /// (window_end, orders, customers, revenue, ranked customers) of every kept week.
    func kept(_ connection: PostgresConnection) throws -> [[String]] {
        try connection.execute("""
            select s.window_end::text as e, s.days::text as d, s.orders::text as o, s.customers::text as c, s.revenue::text as r,
                   (select count(*) from reporting.window_rankings as k
                    where k.window_end = s.window_end and k.days = s.days)::text as ranked
            from reporting.window_summaries as s order by s.window_end desc
            """).rows.map { row in try ["e", "d", "o", "c", "r", "ranked"].map { try row.string($0) } }
    }

    func topCustomers(_ function: String, _ asOf: String, days: Int = 7, n: Int?, on connection: PostgresConnection) throws -> [[String]] {
        try connection.execute("""
            select rank::text as rank, customer_name, total_value::text as value, order_count::text as orders,
                   window_start::text as s, window_end::text as e
            from \(unsafeRaw: function)(\(asOf)::date, \(days)::integer, \(n)::integer)
            """).rows.map { row in try ["rank", "customer_name", "value", "orders", "s", "e"].map { try row.string($0) } }
    }

    @Test("a load keeps the latest week and the one before it, with hand-computed figures")
    func latestWeeks() throws {
        try withReportDatabase { connection in
            try ingest(Self.orders, on: connection)
            // 12-04 ..= 12-10: orders 1-4, Ann Ben Cid, 40 + 15 + 25 + 30. 11-27 ..= 12-03: orders 5, 6.
            #expect(try kept(connection) == [
                ["2023-12-10", "7", "4", "3", "110.00", "3"],
                ["2023-12-03", "7", "2", "2", "12.50", "2"],
            ])
            #expect(try topCustomers("reporting.top_customers", "2023-12-10", n: 10, on: connection) == [
                ["1", "Ann", "40.00", "1", "2023-12-04", "2023-12-10"],
                ["1", "Ben", "40.00", "2", "2023-12-04", "2023-12-10"],
                ["3", "Cid", "30.00", "1", "2023-12-04", "2023-12-10"],
            ])
            #expect(try TestSupport.reportDrift(connection) == 0)
        }
    }

    @Test("a kept week is what the function reads: altering it shows, a load that changes facts puts it right")
    func functionReadsKeptWeek() throws {
        try withReportDatabase { connection in
            try ingest(Self.orders, on: connection)
            try connection.execute("""
                update reporting.window_rankings set total_value = 1000
                where window_end = '2023-12-10' and customer_key = (select customer_key from warehouse.dim_customers where customer_name = 'Cid')
                """)
            #expect(try topCustomers("reporting.top_customers", "2023-12-10", n: 1, on: connection).first?[1] == "Cid")
            #expect(try topCustomers("reporting.aggregate_top_customers", "2023-12-10", n: 1, on: connection).first?[1] == "Ann")
            #expect(try TestSupport.reportDrift(connection) > 0)

            try ingest(Self.orders + "8,Fay,1.00,2023-12-10,lounge,1\n", on: connection)
            #expect(try topCustomers("reporting.top_customers", "2023-12-10", n: 1, on: connection).first?[1] == "Ann")
            #expect(try TestSupport.reportDrift(connection) == 0)
        }
    }

    @Test("a newer snapshot that moves an order's customer, date and price moves the kept weeks with it")
    func newerSnapshot() throws {
        try withReportDatabase { connection in
            try ingest(Self.orders, on: connection)
            // Order 4 goes from Cid on 12-08 at 30.00 to Dee on 12-02 at 31.00: out of the latest
            // week, into the one before. A new order on 12-11 moves both weeks on by a day.
            let newer = Self.orders.replacingOccurrences(of: "4,Cid,30.00,2023-12-08", with: "4,Dee,31.00,2023-12-02")
                + "8,Gus,2.00,2023-12-11,lounge,1\n"
            let summary = try ingest(newer, on: connection)
            #expect(summary.updated == 1 && summary.inserted == 1)
            // 12-05 ..= 12-11: orders 1, 2, 8. 11-28 ..= 12-04: orders 3, 4, 5.
            #expect(try kept(connection) == [
                ["2023-12-11", "7", "3", "3", "57.00", "3"],
                ["2023-12-04", "7", "3", "2", "61.00", "2"],
            ])
            #expect(try topCustomers("reporting.top_customers", "2023-12-04", n: 10, on: connection) == [
                ["1", "Dee", "36.00", "2", "2023-11-28", "2023-12-04"],
                ["2", "Ben", "25.00", "1", "2023-11-28", "2023-12-04"],
            ])
            #expect(try TestSupport.reportDrift(connection) == 0)
        }
    }

    @Test("reloading with no change keeps the weeks as they are; a change of wanted weeks recomputes them")
    func unchangedLoadKeepsWeeks() throws {
        try withReportDatabase { connection in
            try ingest(Self.orders, on: connection)
            #expect(try connection.execute("select reporting.refresh_window_summaries(false) as r").single().bool("r") == false)
            try connection.execute("delete from reporting.window_summaries where window_end = '2023-12-03'")
            #expect(try connection.execute("select reporting.refresh_window_summaries(false) as r").single().bool("r"))
            #expect(try kept(connection).count == 2)
            #expect(try TestSupport.reportDrift(connection) == 0)
        }
    }

    @Test("a feed a day behind: today's week and the one before it are kept too")
    func feedBehindToday() throws {
        let (summary, keptRows, expected, drift) = try onOneServerDay { connection -> (IngestSummary, [[String]], [[String]], Int) in
            let day = { (back: Int) in
                try connection.execute("select (current_date - \(back)::integer)::text as d").single().string("d")
            }
            // Latest order yesterday: weeks ending yesterday and 8 days ago, and today and 7 days ago.
            let summary = try ingest("""
                1,Ann,10.00,\(try day(1)),lounge,1
                2,Ben,20.00,\(try day(8)),lounge,1
                3,Ann,30.00,\(try day(12)),lounge,1
                4,Cid,40.00,\(try day(20)),lounge,1

                """, on: connection)
            let expected = [
                [try day(0), "1", "10.00"], [try day(1), "1", "10.00"],
                [try day(7), "2", "50.00"], [try day(8), "2", "50.00"],
            ]
            return (summary, try kept(connection).map { [$0[0], $0[2], $0[4]] }, expected, try TestSupport.reportDrift(connection))
        }
        #expect(summary.phases.contains { $0.name == "recent weeks from streamed sums" })
        #expect(keptRows == expected)
        #expect(drift == 0)
    }

    @Test("a bulk load of days in no order keeps the same weeks a recomputation gives")
    func shuffledDays() throws {
        try withReportDatabase { connection in
            // 60 days, visited in a scrambled order, so the latest day arrives mid-file and the
            // days kept while streaming change as it goes.
            var rows = ""
            for id in 1...600 {
                let dayOfYear = (id * 37) % 60
                let date = try connection.execute("select (date '2023-10-01' + \(dayOfYear)::integer)::text as d").single().string("d")
                rows += "\(id),Customer \(id % 17),\(id % 9).\(id % 100 < 10 ? "0" : "")\(id % 100),\(date),lounge,1\n"
            }
            let summary = try ingest(rows, on: connection)
            #expect(summary.phases.contains { $0.name == "recent weeks from streamed sums" })
            #expect(try kept(connection).count == 2)
            #expect(try TestSupport.reportDrift(connection) == 0)
        }
    }

    @Test("with ties at the kept depth, every n gives the rows the facts give, kept or not")
    func tiesAtTheDepth() throws {
        try withReportDatabase { connection in
            // 300 orders of 25 customers over 14 days ending 2023-12-14, prices from 4 values:
            // many equal weekly totals, so the depth-th value is shared by several customers.
            var random = FixtureRandom(seed: 7)
            func next(_ bound: Int) -> Int { random.next(bound) }
            let prices = ["1.00", "2.50", "5.00", "0.00"]
            var rows = "1,Customer 0,1.00,2023-12-14,lounge,1\n"
            for id in 2...300 {
                rows += "\(id),Customer \(next(25)),\(prices[next(4)]),2023-12-\(String(format: "%02d", 1 + next(14))),lounge,1\n"
            }
            try ingest(rows, on: connection)
            #expect(try TestSupport.reportDrift(connection) == 0, "as the bulk load kept them")
            for depth in [1, 3, 6, 1000] {
                try connection.execute("select reporting.refresh_window_summaries(true, \(depth)::integer)")
                #expect(try TestSupport.reportDrift(connection) == 0, "depth \(depth)")
                for asOf in ["2023-12-14", "2023-12-07"] {
                    for n in [0, 1, 2, 3, 4, 6, 7, 30] as [Int?] + [nil] {
                        let expected = try topCustomers("reporting.aggregate_top_customers", asOf, n: n, on: connection)
                        #expect(try topCustomers("reporting.top_customers", asOf, n: n, on: connection) == expected,
                                "depth \(depth), as of \(asOf), n \(String(describing: n))")
                        #expect(n == 0 || !expected.isEmpty)
                    }
                }
            }
        }
    }
}
