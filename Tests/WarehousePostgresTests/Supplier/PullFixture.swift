import Foundation
import Logging
@testable import WarehouseKit
import WarehouseFakeSupplier
import WarehouseTestSupport

/// One integration test's world: the fake supplier on 127.0.0.1, a fresh migrated database,
/// a home folder for landing files, and recorders for the retry waits and the log lines.
final class PullFixture: @unchecked Sendable {
    let supplier: FakeSupplier
    let database: TestDatabase
    let connection: PostgresConnection
    /// The session pulls run on: a connection of its own, on a thread of its own.
    let session: DatabaseSession
    let home: URL
    let sleeps = Recorder<Duration>()
    let logs = Recorder<String>()

    private init(supplier: FakeSupplier, database: TestDatabase, home: URL) throws {
        self.supplier = supplier
        self.database = database
        self.home = home
        connection = try database.connect()
        session = DatabaseSession(name: "pull-test") { [database] in try database.connect() }
    }

    /// Runs `body` with a new fixture and always cleans up after it.
    static func with(token: String = "test-token-5f0e2a", _ body: (PullFixture) async throws -> Void) async throws {
        let supplier = try await FakeSupplier.start(token: token)
        // CREATE DATABASE waits for its turn on the server: never block Swift's cooperative
        // threads (two on this machine) with it, or the fake supplier's server starves.
        let database = try await TestThreads.run { try TestDatabase.fresh() }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("pull-test-\(UUID().uuidString)")
        let fixture = try PullFixture(supplier: supplier, database: database, home: home)
        do {
            try await body(fixture)
        } catch {
            await fixture.tearDown()
            throw error
        }
        await fixture.tearDown()
    }

    private func tearDown() async {
        await supplier.stop()
        await session.reset()
        _ = try? await TestThreads.run { [database] in try database.drop() }
        try? FileManager.default.removeItem(at: home)
    }

    var configuration: SupplierConfiguration {
        SupplierConfiguration(baseURL: supplier.baseURL, token: SupplierToken(supplier.token))
    }

    /// Tiny, recorded waits. Timeouts generous enough for a busy 2-core machine running tests
    /// in parallel; the timeout tests shorten them.
    var options: PullOptions {
        var options = PullOptions()
        options.pageSize = 10
        options.timeouts = .init(connect: .seconds(30), read: .seconds(60))
        options.retry.maximumAttempts = 3
        options.retry.initialDelay = .milliseconds(10)
        options.retry.random = { 0.5 }
        let sleeps = sleeps
        options.retry.sleep = { sleeps.append($0) }
        return options
    }

    var logger: Logger {
        let logs = logs
        var logger = Logger(label: "pull-test") { _ in RecordingLogHandler(recorder: logs) }
        logger.logLevel = .trace
        return logger
    }

    func pull(configuration: SupplierConfiguration? = nil, _ adjust: (inout PullOptions) -> Void = { _ in }) async throws -> PullSummary {
        var options = options
        adjust(&options)
        return try await Puller(database: session, configuration: configuration ?? self.configuration,
                                landing: LandingArea(home: home), options: options, logger: logger).pull()
    }

    // MARK: - What the warehouse holds

    func count(_ table: String) throws -> Int {
        try connection.execute("select count(*) as n from \(unsafeRaw: table)").single().int("n")
    }

    var mark: String? {
        get throws {
            try PullState(connection: connection, source: configuration.sourceKey).highWaterMark()?.iso8601
        }
    }

    struct Batch {
        var status: String
        var mode: String
        var kind: String
        var rowsRead: Int?
        var error: String?
        var source: String
    }

    func batches() throws -> [Batch] {
        try connection.execute("select * from ops.load_batches order by batch_id").rows.map {
            Batch(status: try $0.string("status"), mode: try $0.string("mode"), kind: try $0.string("source_kind"),
                  rowsRead: try $0.optionalInt("rows_read"), error: try $0.optionalString("error"), source: try $0.string("source"))
        }
    }

    /// order_id → price text, as stored.
    func prices() throws -> [Int: String] {
        var prices: [Int: String] = [:]
        for row in try connection.execute("select order_id, price::text as price from warehouse.fact_orders").rows {
            prices[try row.int("order_id")] = try row.string("price")
        }
        return prices
    }

    /// `count` orders from `first` on, updated one second apart from `at`.
    static func orders(_ ids: ClosedRange<Int>, updatedFrom start: String = "2023-12-01T08:00:00Z") -> [FakeSupplier.Order] {
        let base = SupplierTimestamp(iso8601: start)!
        return ids.map { id in
            let at = SupplierTimestamp(microseconds: base.microseconds + Int64(id - ids.lowerBound) * 1_000_000)
            return FakeSupplier.Order(id: id, customer: "Customer \(id % 7)", price: "\(id).25",
                                      date: "2023-12-0\(1 + id % 9)", product: id % 2 == 0 ? "lounge" : "fast-track",
                                      passengers: 1 + id % 3, updatedAt: at.iso8601)
        }
    }
}

/// Collects values from any thread.
final class Recorder<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value] = []
    func append(_ value: Value) { lock.withLock { values.append(value) } }
    var all: [Value] { lock.withLock { values } }
}

struct RecordingLogHandler: LogHandler {
    let recorder: Recorder<String>
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) { recorder.append("\(event.level): \(event.message)") }
}
