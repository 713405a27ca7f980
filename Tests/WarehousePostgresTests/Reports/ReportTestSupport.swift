import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// The header every fixture snapshot starts with.
let fixtureHeader = "order_id,customer_name,price,order_date,product_id,passenger_count\n"

/// Runs `body` on a fresh, migrated database that is dropped afterwards.
func withReportDatabase<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
    let database = try TestDatabase.fresh()
    defer { try? database.drop() }
    let connection = try database.connect()
    return try body(connection)
}

/// Runs `attempt` on a fresh database until the server's date is the same before and after it
/// (a second try at most), so a test of "the default is today" cannot fail because midnight
/// passed while it ran. `attempt` returns what the test then asserts on.
func onOneServerDay<T>(_ attempt: (PostgresConnection) throws -> T) throws -> T {
    func today(_ connection: PostgresConnection) throws -> String {
        try connection.execute("select current_date::text as d").single().string("d")
    }
    var outcome: T?
    for _ in 0..<2 where outcome == nil {
        outcome = try withReportDatabase { connection -> T? in
            let before = try today(connection)
            let value = try attempt(connection)
            return try today(connection) == before ? value : nil
        }
    }
    return try #require(outcome, "the server's date changed during both tries")
}

/// Loads one snapshot, given as the CSV rows after the header, through the real loader.
@discardableResult
func ingest(_ rows: String, on connection: PostgresConnection) throws -> IngestSummary {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("report-fixture-\(UUID().uuidString).csv")
    try (fixtureHeader + rows).write(to: url, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: url) }
    return try Ingestor(connection: connection).ingest(path: url.path)
}

/// Runs a report as `warehouse report` does; `asOf` is YYYY-MM-DD.
func report(_ kind: ReportKind, asOf: String? = nil, days: Int? = nil, limit: ReportRequest.Limit = .all,
            on connection: PostgresConnection) throws -> ReportResult {
    let request = try ReportRequest(kind: kind, asOf: asOf.flatMap(CivilDate.init), days: days, limit: limit)
    return try ReportQuery(request).run(on: connection)
}

extension ReportResult {
    /// Rows as plain strings (NULL shown as "NULL"), easy to compare with a hand-written table.
    var table: [[String]] { rows.map { $0.map { $0 ?? "NULL" } } }
}

/// A small deterministic generator (a 64-bit LCG) for fixtures with many equal values.
struct FixtureRandom {
    var seed: UInt64

    /// A number in 0..<bound.
    mutating func next(_ bound: Int) -> Int {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((seed >> 33) % UInt64(bound))
    }
}

/// One order of a generated snapshot: its customer a number (the test names it), its day an offset
/// from ``firstDay``.
struct FixtureOrder {
    var id: Int
    var customer: Int
    var cents: Int
    var day: Int

    var date: String { Self.firstDay.adding(days: day).description }
    static let firstDay = CivilDate(iso: "2023-11-01")!

    /// The snapshot's CSV rows after the header, each customer named by `name`.
    static func csv(_ orders: [FixtureOrder], name: (Int) -> String) -> String {
        orders.map { "\($0.id),\(name($0.customer)),\($0.cents / 100).\(String(format: "%02d", $0.cents % 100)),\($0.date),lounge,1" }
            .joined(separator: "\n") + "\n"
    }
}

/// Loads a full snapshot, given as the CSV rows after the header, through the real loader; the
/// orders it lacks are removed whatever their share (the shrink guard is not what these tests test).
func ingestSnapshot(_ rows: String, on connection: PostgresConnection) throws {
    var options = IngestOptions()
    options.allowShrink = true
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("snapshot-fixture-\(UUID().uuidString).csv")
    try (fixtureHeader + rows).write(to: url, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: url) }
    _ = try Ingestor(connection: connection, options: options).ingest(path: url.path)
}
