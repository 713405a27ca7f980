import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import WarehouseKit
import WarehouseTestSupport

/// docs/scaling.md's first step beyond one machine: readers on a PostgreSQL streaming replica.
/// A primary and a hot standby (pg_basebackup -R) of the test's own; loads go to the primary,
/// and `report`, `export-sqlite` and `serve` read the standby.
@Suite("Readers on a hot standby", .blockingWork)
struct ReplicaReadTests {
    static let role = "wh_app"
    static let database = "wh_orders"

    @Test("report, export-sqlite and serve read a hot standby")
    func readCommandsOnAStandby() async throws {
        let primary = try StockPostgres.start()
        defer { primary.stop() }
        try primary.createOwner(role: Self.role, database: Self.database)
        let standby = try StockPostgres.standby(of: primary)
        defer { standby.stop() }
        let folder = try TestSupport.temporaryDirectory("warehouse-replica")
        defer { try? FileManager.default.removeItem(at: folder) }

        // Loads and migrations go to the primary only.
        let primaryURL = primary.url(user: Self.role, database: Self.database)
        try Self.run(["migrate", "--database-url", primaryURL], home: folder)
        let file = try TinyOrders.write(TinyOrders.firstDay, named: "orders_2023-12-10.csv", in: folder)
        try Self.run(["ingest", file.path, "--database-url", primaryURL], home: folder)
        try Self.waitForReplay(primary: primary, standby: standby)
        let expected = Self.normalised(TinyOrders.totalOrders(TinyOrders.firstDay))

        let standbyURL = standby.url(user: Self.role, database: Self.database)
        let inRecovery = try standby.connectAdmin().execute("select pg_is_in_recovery()::text as standby").single().string("standby")
        #expect(inRecovery == "true")

        let report = try Self.run(["report", "total-orders", "--format", "csv", "--database-url", standbyURL], home: folder)
        let records = CSVRecords.parse(report.standardOutput)
        #expect(records.first == TinyOrders.totalOrdersHeader)
        #expect(Self.normalised(Array(records.dropFirst())) == expected)

        let exported = folder.appendingPathComponent("application.db")
        try Self.run(["export-sqlite", exported.path, "--as-of", "2023-12-10", "--database-url", standbyURL], home: folder)
        let sqlite = try SQLiteDatabase(path: exported.path, mode: .readOnly)
        let rows = try sqlite.rows(sql: """
            select customer_name, total_orders, total_value_cents, first_order_date, last_order_date
            from total_orders_per_customer order by total_orders desc, customer_name
            """)
        try sqlite.close()
        #expect(rows.map { $0.map(\.description) } == expected)

        let apiRows = try await Self.servedTotalOrders(databaseURL: standbyURL, home: folder)
        #expect(apiRows == expected)
    }

    /// Rows as [name, orders, value in cents, first date, last date], whatever form the value came in.
    static func normalised(_ rows: [[String]]) -> [[String]] {
        rows.map { row in
            var row = row
            if row.count > 2, let value = Decimal(string: row[2]) { row[2] = "\(NSDecimalNumber(decimal: value * 100).intValue)" }
            return row
        }
    }

    @discardableResult
    static func run(_ arguments: [String], home: URL) throws -> WarehouseCLI.Outcome {
        var environment = WarehouseCLI.isolatedEnvironment
        environment["WAREHOUSE_HOME"] = home.appendingPathComponent("home").path
        let outcome = try WarehouseCLI.run(arguments, environment: environment)
        #expect(outcome.status == 0, "warehouse \(arguments.prefix(2).joined(separator: " ")) exited \(outcome.status): \(outcome.standardError)")
        return outcome
    }

    /// Waits until the standby has replayed everything the primary had written when asked.
    static func waitForReplay(primary: StockPostgres, standby: StockPostgres) throws {
        let target = try primary.connectAdmin().execute("select pg_current_wal_lsn()::text as lsn").single().string("lsn")
        let connection = try standby.connectAdmin()
        let deadline = Date().addingTimeInterval(60)
        while true {
            let caughtUp = try connection.execute("select (pg_last_wal_replay_lsn() >= \(target)::pg_lsn)::text as done").single().string("done")
            if caughtUp == "true" { return }
            guard Date() < deadline else { throw StockPostgres.Failure(description: "the standby did not replay up to \(target) within a minute") }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Starts `warehouse serve` on the standby, waits until /healthz answers 200, and returns
    /// the total-orders report as /api/reports/total-orders gives it.
    static func servedTotalOrders(databaseURL: String, home: URL) async throws -> [[String]] {
        let port = try StockPostgres.freePort()
        var environment = WarehouseCLI.isolatedEnvironment
        environment["WAREHOUSE_HOME"] = home.appendingPathComponent("home").path
        let log = home.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = WarehouseCLI.executable
        process.arguments = ["serve", "--port", String(port), "--database-url", databaseURL]
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }

        // A session of its own: nothing another test queues on the shared one can delay these.
        let session = URLSession(configuration: .ephemeral)
        defer { session.invalidateAndCancel() }
        func serveLog() -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
        func request(_ path: String, timeout: TimeInterval) -> URLRequest {
            URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        }
        // Polled until it answers; a generous limit, since a busy machine (the whole suite runs
        // in parallel) can take long to start a process, but only a hung server reaches it.
        let deadline = Date().addingTimeInterval(180)
        var lastAnswer = "no answer"
        while true {
            guard process.isRunning else { throw StockPostgres.Failure(description: "serve exited: \(serveLog())") }
            do {
                let (body, response) = try await session.data(for: request("/healthz", timeout: 5))
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if status == 200 { break }
                lastAnswer = "\(status) \(String(decoding: body, as: UTF8.self))"
            } catch {
                lastAnswer = "\(error)"
            }
            guard Date() < deadline else {
                throw StockPostgres.Failure(description: "serve did not answer /healthz with 200 (last: \(lastAnswer)); its log: \(serveLog())")
            }
            try await Task.sleep(for: .milliseconds(100))
        }

        let (body, response) = try await session.data(for: request("/api/reports/total-orders?limit=all", timeout: 60))
        #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: body, as: UTF8.self))")
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        return rows.map { row in
            let cents = ((row["total_value"] as? NSNumber)?.doubleValue).map { String(Int(($0 * 100).rounded())) } ?? "?"
            return ["\(row["customer_name"] ?? "?")", "\(row["total_orders"] ?? "?")", cents,
                    "\(row["first_order_date"] ?? "?")", "\(row["last_order_date"] ?? "?")"]
        }
    }
}
