import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// `warehouse freshness` and the freshness line of `status`, measured to an explicit moment
/// (the hidden `--now`) so that nothing depends on today's date.
@Suite(.blockingWork) struct FreshnessCommandTests {
    static func record(_ status: String, finishedAt: String, on database: TestDatabase) throws {
        try database.connect().execute("""
            insert into ops.load_batches (source, source_kind, status, started_at, finished_at, tool_version)
            values ('orders.csv', 'file', \(status), \(finishedAt)::timestamptz, \(finishedAt)::timestamptz, 'test')
            """)
    }

    static func freshness(_ database: TestDatabase, now: String, maxAge: String = "36h") throws -> (status: Int32, json: [String: Any]) {
        let outcome = try WarehouseCLI.run(["freshness", "--max-age", maxAge, "--now", now, "--format", "json", "--database-url", database.url])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any],
                                  "\(outcome.standardOutput) \(outcome.standardError)")
        return (outcome.status, object)
    }

    @Test func neverLoadedIsStale() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let result = try Self.freshness(database, now: "2023-12-11T06:00:00Z")
        #expect(result.status == 75)
        #expect(result.json["state"] as? String == "never")
        let text = try WarehouseCLI.run(["freshness", "--database-url", database.url])
        #expect(text.status == 75)
        #expect(text.standardOutput.contains("never loaded"))
    }

    @Test func theLastSuccessfulLoadAgainstMaxAge() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        try Self.record("succeeded", finishedAt: "2023-12-10T06:00:00Z", on: database)
        // A later failure does not refresh the data.
        try Self.record("failed", finishedAt: "2023-12-11T06:00:00Z", on: database)

        let fresh = try Self.freshness(database, now: "2023-12-11T18:00:00Z")
        #expect(fresh.status == 0)
        #expect(fresh.json["state"] as? String == "fresh")
        #expect(fresh.json["age_seconds"] as? Int == 36 * 3_600)
        #expect(fresh.json["last_success_at"] as? String == "2023-12-10T06:00:00Z")

        let stale = try Self.freshness(database, now: "2023-12-11T18:00:01Z")
        #expect(stale.status == 75)
        #expect(stale.json["state"] as? String == "stale")
        #expect(try Self.freshness(database, now: "2023-12-11T18:00:01Z", maxAge: "2d").status == 0)

        // A load that found the supplier's data unchanged confirms it too.
        try Self.record("skipped", finishedAt: "2023-12-11T12:00:00Z", on: database)
        #expect(try Self.freshness(database, now: "2023-12-12T12:00:00Z").status == 0)

        let status = try WarehouseCLI.run(["status", "--now", "2023-12-14T00:00:00Z", "--database-url", database.url])
        #expect(status.status == 0, "stale data is shown by status, not an error: \(status.standardError)")
        #expect(status.standardOutput.contains("Freshness:   STALE"), "\(status.standardOutput)")
    }

    @Test func badMaxAgeIsAUsageError() throws {
        #expect(try WarehouseCLI.run(["freshness", "--max-age", "soon"]).status == 64)
    }
}
