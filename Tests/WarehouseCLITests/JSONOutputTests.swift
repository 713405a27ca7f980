import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// `--format json` (and its hidden alias `--json`) on every command that reports something,
/// on success and on failure, parsed as JSON.
@Suite(.blockingWork) struct JSONOutputTests {
    static let sample = TestSupport.packageRoot.appendingPathComponent("data/sample_orders.csv").path

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    @Test func ingestAndCheckPrintTheirSummaryAndTheirRefusal() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let check = try WarehouseCLI.run(["check", "--format", "json", "--database-url", database.url, Self.sample])
        #expect(check.status == 0, "\(check.standardError)")
        #expect(try Self.object(check.standardOutput)["inserted"] as? Int == 1002)

        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("json-bad-\(UUID().uuidString).csv")
        try Data("order_id,customer_name,price,order_date,product_id,passenger_count\n1,Ann,1.00,2023-12-01,lounge,1\n2,Bo,1.00,2023-13-01,lounge,1\n".utf8).write(to: bad)
        defer { try? FileManager.default.removeItem(at: bad) }
        for spelling in [["--format", "json"], ["--json"]] {
            let refused = try WarehouseCLI.run(["ingest", "--max-rejects", "0", "--database-url", database.url, bad.path] + spelling)
            #expect(refused.status == 65)
            let error = try #require(try Self.object(refused.standardOutput)["error"] as? [String: Any])
            #expect(error["code"] as? String == "data_refused")
            #expect(error["exit_status"] as? Int == 65)
            #expect(error["file"] as? String == bad.path)
            let rejects = try #require(error["rejects"] as? [[String: Any]])
            #expect(rejects.first?["line"] as? Int == 3)
            #expect(rejects.first?["column"] as? String == "order_date")
        }
    }

    @Test func aFailedPullPrintsAnErrorObject() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("json-pull-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        var environment = WarehouseCLI.isolatedEnvironment
        environment["WAREHOUSE_SUPPLIER_TOKEN"] = "test-token"
        let outcome = try WarehouseCLI.run(["pull", "--format", "json", "--url", "http://127.0.0.1:9", "--max-attempts", "1",
                                            "--home", home.path, "--database-url", database.url], environment: environment)
        #expect(outcome.status == 1)
        let error = try #require(try Self.object(outcome.standardOutput)["error"] as? [String: Any])
        #expect(error["code"] as? String == "failed")
        #expect((error["message"] as? String)?.isEmpty == false)
    }

    @Test func anUnmigratedDatabaseIsAnErrorObjectAndMigrateStatusListsEverythingPending() throws {
        let database = try TestDatabase.fresh(migrated: false)
        defer { try? database.drop() }
        let report = try WarehouseCLI.run(["report", "total-orders", "--json", "--database-url", database.url])
        #expect(report.status == 78)
        let error = try #require(try Self.object(report.standardOutput)["error"] as? [String: Any])
        #expect(error["code"] as? String == "schema_not_ready")

        let status = try WarehouseCLI.run(["migrate", "--status", "--format", "json", "--database-url", database.url])
        #expect(status.status == 0, "\(status.standardError)")
        let listed = try Self.object(status.standardOutput)
        #expect((listed["applied"] as? [Any])?.isEmpty == true)
        #expect(listed["pending"] as? [String] == (try Migration.embedded().map(\.fileName)))
        let ops = try database.connect().execute("select to_regnamespace('ops') is null as absent").single()
        #expect(try ops.bool("absent"))

        let migrate = try WarehouseCLI.run(["migrate", "--format", "json", "--database-url", database.url])
        #expect(migrate.status == 0, "\(migrate.standardError)")
        let applied = try Self.object(migrate.standardOutput)
        #expect((applied["applied"] as? [[String: Any]])?.count == (try Migration.embedded().count))
        #expect(applied["already_applied"] as? Int == 0)
    }

    @Test func statusHistoryAndReportsHaveJSON() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let load = try WarehouseCLI.run(["ingest", "-q", "--database-url", database.url, Self.sample])
        #expect(load.status == 0, "\(load.standardError)")

        let status = try WarehouseCLI.run(["status", "--format", "json", "--database-url", database.url])
        #expect(status.status == 0, "\(status.standardError)")
        let object = try Self.object(status.standardOutput)
        #expect(object["schema"] as? String == "current")
        #expect((object["row_counts"] as? [String: Any])?["warehouse.fact_orders"] as? Int == 1002)
        let loads = try #require(object["last_loads"] as? [[String: Any]])
        #expect(loads.first?["status"] as? String == "succeeded")
        #expect((object["integrity"] as? [String: Any])?["ok"] as? Bool == true)
        #expect((object["freshness"] as? [String: Any])?["last_success_batch_id"] as? Int == 1)

        for command in [["history", "1001"], ["report", "total-orders", "--limit", "3"]] {
            let canonical = try WarehouseCLI.run(command + ["--format", "json", "--database-url", database.url])
            let alias = try WarehouseCLI.run(command + ["--json", "--database-url", database.url])
            #expect(canonical.status == 0 && alias.status == 0)
            #expect(canonical.standardOutput == alias.standardOutput)
            #expect(try JSONSerialization.jsonObject(with: Data(canonical.standardOutput.utf8)) is [Any])
        }
    }

    @Test func statusShowsFailingPulls() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let store = PullHealthStore(connection: try database.connect())
        try store.recordFailure(source: "https://supplier.example/api", error: "HTTP 503 from the supplier")
        try store.recordFailure(source: "https://supplier.example/api", error: "HTTP 503 from the supplier")
        let json = try WarehouseCLI.run(["status", "--format", "json", "--database-url", database.url])
        #expect(json.status == 0, "\(json.standardError)")
        let pulls = try #require(try Self.object(json.standardOutput)["pulls"] as? [[String: Any]])
        #expect(pulls.first?["failing"] as? Bool == true)
        #expect(pulls.first?["consecutive_failures"] as? Int == 2)
        let text = try WarehouseCLI.run(["status", "--database-url", database.url])
        #expect(text.standardOutput.contains("FAILING: https://supplier.example/api: 2 failed in a row"), "\(text.standardOutput)")
    }
}
