import Dispatch
import Foundation
import WarehouseKit
@testable import WarehouseServer
import WarehouseTestSupport

/// The orders every dashboard test starts from, in the supplier's format. As of 2023-12-10 the
/// 7-day window is 2023-12-04 ..= 2023-12-10 and the previous one 2023-11-27 ..= 2023-12-03.
///
/// In the window: orders 1, 2, 4, 5, 6, 9, 10 (7 orders, 6 customers, 1547.56). Before it: orders
/// 3 and 8 (2 orders, 2 customers, 510.00). Order 7 is after the as-of day. Customer names that
/// try markup (`<script>`) and spreadsheet formulas (`=HYPERLINK`, a leading `-`) are there to be
/// shown as text and downloaded harmless.
enum DashboardFixture {
    static let asOf = "2023-12-10"
    static let scriptName = "<script>alert(1)</script>"
    static let formulaName = #"=HYPERLINK("http://evil.example","x")"#

    static let orders = """
        order_id,customer_name,price,order_date,product_id,passenger_count
        1,Ann Example,50.00,2023-12-04,lounge,1
        2,Ann Example,25.50,2023-12-10,parking,2
        3,Ben Example,500.00,2023-12-03,transfer,1
        4,Ben Example,75.50,2023-12-09,transfer,1
        5,<script>alert(1)</script>,120.00,2023-12-08,fast-track,2
        6,"=HYPERLINK(""http://evil.example"",""x"")",30.00,2023-12-07,lounge,1
        7,Cid Example,999.99,2023-12-11,lounge,1
        8,Dee Example,10.00,2023-11-28,fast_track,1
        9,-Minus Customer,1234.56,2023-12-06,parking,3
        10,"Zoë ""Quote"" & Co",12.00,2023-12-05,lounge,1

        """
}

/// A dashboard on an ephemeral port of 127.0.0.1, in this process, over a fresh database.
final class DashboardTestServer: Sendable {
    let database: TestDatabase?
    let server: DashboardServer
    let task: Task<Void, any Error>
    let port: Int

    private init(database: TestDatabase?, server: DashboardServer, task: Task<Void, any Error>, port: Int) {
        self.database = database
        self.server = server
        self.task = task
        self.port = port
    }

    /// Runs `body` against a started dashboard, then stops it and drops its database.
    /// - Parameters:
    ///   - orders: a CSV loaded through the real loader first (nil: load nothing).
    ///   - migrated: false leaves the database without the warehouse schema.
    ///   - conninfo: point the dashboard elsewhere (a database that does not exist); no database is made.
    static func with<T: Sendable>(
        orders: String? = DashboardFixture.orders, migrated: Bool = true, conninfo: String? = nil,
        token: String? = nil, staleAfterSeconds: Double = DashboardConfiguration.defaultStaleAfterSeconds,
        cacheWarmInterval: Double? = 30, limits: HTTPLimits = .standard, log: (@Sendable (String) -> Void)? = nil,
        _ body: (DashboardTestServer) async throws -> T
    ) async throws -> T {
        let database: TestDatabase? = conninfo == nil ? try await offload { try TestDatabase.fresh(migrated: migrated) } : nil
        do {
            if let database, let orders { try await offload { try load(orders, into: database) } }
            let configuration = DashboardConfiguration(
                host: "127.0.0.1", port: 0, conninfo: conninfo ?? database!.conninfo, token: token,
                staleAfterSeconds: staleAfterSeconds, connections: 2, cacheWarmInterval: cacheWarmInterval,
                limits: limits, log: log)
            let server = try DashboardServer(configuration: configuration)
            let task = Task { try await server.run() }
            let port = try await server.waitUntilListening(timeout: 60)
            let running = DashboardTestServer(database: database, server: server, task: task, port: port)
            do {
                let value = try await body(running)
                await running.stop()
                return value
            } catch {
                await running.stop()
                throw error
            }
        } catch {
            if let database { _ = try? await offload { try database.drop() } }
            throw error
        }
    }

    func stop() async {
        await server.stop(timeout: 1)
        task.cancel()
        _ = await task.result
        if let database { _ = try? await Self.offload { try database.drop() } }
    }

    func get(_ target: String, headers: [String: String] = [:]) async throws -> HTTPTestResponse {
        try await DashboardHTTPClient.get(port: port, target, headers: headers)
    }

    func request(_ method: String, _ target: String, headers: [String: String] = [:], body: String? = nil) async throws -> HTTPTestResponse {
        try await DashboardHTTPClient.request(port: port, method, target, headers: headers, body: body)
    }

    var url: String { "http://127.0.0.1:\(port)/" }

    /// A writable connection of the test's own (the dashboard's are read-only).
    func connect() throws -> PostgresConnection { try database!.connect() }

    /// Makes every finished load look `hours` old, as if the daily file had stopped coming.
    func ageLoads(hours: Int) async throws {
        let database = self.database!
        _ = try await Self.offload {
            try database.connect().execute("""
                update ops.load_batches
                set started_at = started_at - make_interval(hours => \(hours)),
                    finished_at = finished_at - make_interval(hours => \(hours))
                """)
        }
    }

    /// Loads `orders` with the real loader (a file, as the CLI would).
    static func load(_ orders: String, into database: TestDatabase) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-fixture-\(UUID().uuidString).csv")
        try orders.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        _ = try Ingestor(connection: try database.connect(), options: IngestOptions()).ingest(path: url.path)
    }

    /// Blocking work (database set-up, sockets, child processes) off the threads that run Swift
    /// tasks, which the in-process server needs.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await TestThreads.run(work)
    }
}
