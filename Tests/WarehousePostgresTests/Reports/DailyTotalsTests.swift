import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// Orders and revenue per day (migration 0011), as the dashboard's trend reads them: after a first
/// load, a next-day snapshot, a correction by hand and a TRUNCATE, compared with sums computed here.
@Suite("Report: orders and revenue per day", .blockingWork)
struct DailyTotalsTests {
    /// (order_id, customer, cents, date)
    typealias Row = (id: Int, customer: String, cents: Int, date: String)

    static func csv(_ rows: [Row]) -> String {
        rows.map { "\($0.id),\($0.customer),\($0.cents / 100).\(String(format: "%02d", $0.cents % 100)),\($0.date),lounge,1" }
            .joined(separator: "\n") + "\n"
    }

    /// Every day from `start` for `days` days: [orders, revenue], zeros where no row falls.
    static func expected(_ rows: [Row], asOf: String, days: Int) -> [[String]] {
        let end = CivilDate(iso: asOf)!
        return (0..<days).reversed().map { back in
            let day = end.adding(days: -back).description
            let matching = rows.filter { $0.date == day }
            let cents = matching.map(\.cents).reduce(0, +)
            return [day, "\(matching.count)", "\(cents / 100).\(String(format: "%02d", cents % 100))"]
        }
    }

    static func actual(_ connection: PostgresConnection, asOf: String, days: Int) throws -> [[String]] {
        try DailyTotalsStore(connection: connection).trend(asOf: CivilDate(iso: asOf)!, days: days).map {
            [$0.date.description, "\($0.orders)", $0.revenue.contains(".") ? $0.revenue : $0.revenue + ".00"]
        }
    }

    @Test("every load, a hand correction and a truncate keep the days equal to the facts")
    func followsEveryChange() throws {
        try withReportDatabase { connection in
            let first: [Row] = [(1, "Ann", 1000, "2023-12-01"), (2, "Ben", 250, "2023-12-01"), (3, "Ann", 99, "2023-12-03"),
                                (4, "Cid", 12345, "2023-12-05"), (5, "Ben", 1, "2023-12-10")]
            try ingest(Self.csv(first), on: connection)
            #expect(try Self.actual(connection, asOf: "2023-12-10", days: 12) == Self.expected(first, asOf: "2023-12-10", days: 12))

            // Next day: order 2 removed, order 3's price and order 4's date changed, order 6 new.
            let second: [Row] = [(1, "Ann", 1000, "2023-12-01"), (3, "Ann", 150, "2023-12-03"),
                                 (4, "Cid", 12345, "2023-12-09"), (5, "Ben", 1, "2023-12-10"), (6, "Dee", 700, "2023-12-11")]
            var options = IngestOptions()
            options.allowShrink = true
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("daily-\(UUID().uuidString).csv")
            try (fixtureHeader + Self.csv(second)).write(to: url, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: url) }
            _ = try Ingestor(connection: connection, options: options).ingest(path: url.path)
            #expect(try Self.actual(connection, asOf: "2023-12-11", days: 12) == Self.expected(second, asOf: "2023-12-11", days: 12))
            #expect(try TestSupport.reportDrift(connection) == 0)

            // A correction made in psql, outside any load, is counted too.
            try connection.execute("update warehouse.fact_orders set price = price + 1 where order_id = 1")
            var corrected = second
            corrected[0].cents += 100
            #expect(try Self.actual(connection, asOf: "2023-12-11", days: 12) == Self.expected(corrected, asOf: "2023-12-11", days: 12))

            try connection.execute("truncate warehouse.fact_orders cascade")
            #expect(try connection.execute("select count(*) as n from reporting.daily_totals").single().int("n") == 0)
        }
    }
}
