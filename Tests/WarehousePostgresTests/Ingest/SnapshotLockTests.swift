import Dispatch
import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// A snapshot merge keeps other writers of fact_orders out until it commits, so the known
/// orders it read at the start, and the local copy it writes at the end, describe exactly the
/// facts it saw and wrote.
@Suite(.blockingWork) struct SnapshotLockTests {
    private let header = IngestFixtures.header

    @Test func aWriterOfTheFactsWaitsForASnapshotMergeToCommit() async throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        _ = try IngestFixtures.ingest(database, header + "Ann,1,10.00,2023-12-01,transfer,2\nBob,2,20.00,2023-12-02,transfer,1\n")

        // The second snapshot stops just before its commit, until the test lets it go.
        let atCommit = DispatchSemaphore(value: 0)
        let proceed = DispatchSemaphore(value: 0)
        let path = try IngestFixtures.file(header + "Ann,1,11.00,2023-12-01,transfer,2\nBob,2,20.00,2023-12-02,transfer,1\n").path
        let conninfo = database.conninfo
        let merge = Task {
            try await TestThreads.run {
                var options = IngestOptions()
                options.beforeCommit = { _ in
                    atCommit.signal()
                    proceed.wait()
                }
                return try Ingestor(connection: try PostgresConnection(conninfo: conninfo), options: options).ingest(path: path)
            }
        }
        try await TestThreads.run { atCommit.wait() }

        // Another session's write to the facts, e.g. a fix by hand in psql, must wait.
        let writer = Task {
            try await TestThreads.run {
                try PostgresConnection(conninfo: conninfo).execute("update warehouse.fact_orders set passenger_count = 3 where order_id = 2")
            }
        }
        let observer = try database.connect()
        let waiting: SQL = """
            select count(*) as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'relation' and l.relation = 'warehouse.fact_orders'::regclass
              and not l.granted and a.datname = \(database.name)
            """
        // Polled; the bound only turns a missing lock into a failure instead of a hang.
        let giveUp = ContinuousClock.now + .seconds(30)
        var waited = false
        while !waited, ContinuousClock.now < giveUp {
            waited = try observer.execute(waiting).single().int("n") > 0
            if !waited { try await Task.sleep(for: .milliseconds(5)) }
        }
        #expect(waited, "the write went through while the merge held its transaction open")

        proceed.signal()
        let summary = try await merge.value
        #expect(summary.updated == 1)
        _ = try await writer.value
        // Both happened, the hand fix after the merge.
        #expect(try IngestFixtures.facts(observer) == [
            "1|Ann|transfer|2023-12-01|11.00|2",
            "2|Bob|transfer|2023-12-02|20.00|3",
        ])
    }
}
