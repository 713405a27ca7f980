import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// The postmaster killed (SIGKILL) in the middle of a load: the next start must succeed on its
/// first try and leave a working warehouse holding none of the killed load.
///
/// PostgreSQL can fail its first start after such a crash with `could not create file
/// "base/…": File exists` when unlogged relations were created or truncated (new files with an
/// init fork) since the last checkpoint; a second start then works. Loads must not give it
/// that chance.
@Suite(.serialized, .blockingWork) struct EmbeddedClusterCrashTests {
    private func generate(orders: Int, seed: UInt64, to path: String) throws -> Int {
        let sink = try FileSink(path: path)
        let summary = try OrderGenerator(options: GeneratorOptions(orders: orders, seed: seed)).write(to: sink)
        try sink.close()
        return summary.records
    }

    private func count(_ connection: PostgresConnection) throws -> Int {
        try connection.execute("select count(*) as n from warehouse.fact_orders").single().int("n")
    }

    /// Polls pg_stat_progress_copy until a COPY into `table` has processed `rows` rows; false
    /// after `timeout`.
    private func waitForCopy(into table: String, rows: Int, on connection: PostgresConnection, timeout: Duration) throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            let active = try connection.execute("""
                select count(*) as n from pg_stat_progress_copy
                where relid = \(table)::regclass and tuples_processed >= \(rows)
                """).single().int("n")
            if active > 0 { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// `afterALoad`: the warehouse already holds a committed load, so the killed load merges
    /// through staging.orders (the case that failed); else the killed load is the first, bulk one
    /// (COPY straight into warehouse.fact_orders, emptied in its transaction).
    @Test(arguments: [true, false])
    func aLoadKilledMidCopyRestartsOnTheFirstTry(afterALoad: Bool) throws {
        let home = try TestSupport.temporaryDirectory("wh-crash")
        let cluster = EmbeddedCluster(home: home)
        defer {
            _ = try? cluster.stop()
            if let layout = cluster.initializedLayout(), layout.isRelocated {
                try? FileManager.default.removeItem(at: layout.root)
            }
            try? FileManager.default.removeItem(at: home)
        }
        let first = home.appendingPathComponent("first.csv").path
        let second = home.appendingPathComponent("second.csv").path
        let firstRows = afterALoad ? try generate(orders: 1_000, seed: 3, to: first) : 0
        let secondRows = try generate(orders: 200_000, seed: 11, to: second)

        let running = try cluster.startIfNeeded()
        let observer = try PostgresConnection(conninfo: running.conninfo)
        try Migrator(connection: observer).migrate()
        if afterALoad {
            _ = try Ingestor(connection: observer).ingest(path: first)
            #expect(try count(observer) == firstRows)
        }

        let loadFailed = Locked<String?>(nil)
        let loadEnded = DispatchGroup()
        let conninfo = running.conninfo
        DispatchQueue.global().async(group: loadEnded) {
            do {
                _ = try Ingestor(connection: try PostgresConnection(conninfo: conninfo)).ingest(path: second)
                loadFailed.withLock { $0 = "the load finished before the server was killed" }
            } catch {
                loadFailed.withLock { $0 = String(describing: error) }
            }
        }
        // Well into the COPY (the failure needed the landed rows to reach the disk), not just
        // at its start.
        let target = afterALoad ? "staging.orders" : "warehouse.fact_orders"
        #expect(try waitForCopy(into: target, rows: 50_000, on: observer, timeout: .seconds(60)),
                "the load never got 50,000 rows into its COPY")

        let logBefore = try Data(contentsOf: running.layout.logFile).count
        let postmaster = try #require(ServerControl.recordedPID(running.layout))
        #expect(kill(postmaster, SIGKILL) == 0)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while kill(postmaster, 0) == 0, clock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
        loadEnded.wait()
        #expect(loadFailed.withLock { $0 }?.contains("finished before") == false)

        // One start, no retry by the test: it must work the first time.
        let restarted = try cluster.startIfNeeded()
        #expect(restarted.wasStarted)
        // What the server logged since the crash: its recovery never failed, not even once
        // behind a retry.
        let log = String(decoding: try Data(contentsOf: running.layout.logFile).dropFirst(logBefore), as: UTF8.self)
        #expect(!log.contains("could not create file"), "\(log)")
        #expect(!log.contains("startup process"), "\(log)")
        #expect(log.components(separatedBy: "database system is ready to accept connections").count == 2, "\(log)")

        let connection = try PostgresConnection(conninfo: restarted.conninfo)
        #expect(try count(connection) == firstRows, "the killed load left nothing behind")
        let summary = try Ingestor(connection: connection).ingest(path: second)
        #expect(summary.outcome == .loaded)
        #expect(try count(connection) == secondRows)
    }
}
