import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// Each documented exit status, from the built binary (docs/operations.md, "Exit codes").
@Suite(.blockingWork) struct ExitStatusTests {
    static let header = "order_id,customer_name,price,order_date,product_id,passenger_count\n"

    static func file(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("exit-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func successIsZero() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let csv = try Self.file(Self.header + "1,Ann,1.00,2023-12-01,lounge,1\n")
        defer { try? FileManager.default.removeItem(at: csv) }
        #expect(try WarehouseCLI.run(["ingest", "-q", "--database-url", database.url, csv.path]).status == 0)
    }

    @Test func usageIs64() throws {
        #expect(try WarehouseCLI.run(["ingest", "--max-rejects", "lots", "x.csv"]).status == 64)
        #expect(try WarehouseCLI.run(["report", "no-such-report"]).status == 64)
        #expect(try WarehouseCLI.run(["no-such-command"]).status == 64)
    }

    @Test func refusedDataIs65() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let good = (1...40).map { "\($0),Ann,1.00,2023-12-01,lounge,1\n" }.joined()
        let loaded = try Self.file(Self.header + good)
        let tooManyRejects = try Self.file(Self.header + "1,Ann,1.00,2023-13-01,lounge,1\n2,Bo,1.00,2023-12-01,lounge,1\n")
        let noValidRows = try Self.file(Self.header + "1,Ann,x,2023-12-01,lounge,1\n")
        let shrunk = try Self.file(Self.header + "1,Ann,1.00,2023-12-01,lounge,1\n")
        let missingColumn = try Self.file("order_id,price\n1,1.00\n")
        defer { for url in [loaded, tooManyRejects, noValidRows, shrunk, missingColumn] { try? FileManager.default.removeItem(at: url) } }
        #expect(try WarehouseCLI.run(["ingest", "-q", "--database-url", database.url, loaded.path]).status == 0)
        let cases: [(String, [String])] = [
            ("too many rejects", ["ingest", "--max-rejects", "0", tooManyRejects.path]),
            ("too many rejects, check", ["check", "--max-rejects", "0", tooManyRejects.path]),
            ("no valid rows", ["ingest", noValidRows.path]),
            ("shrink guard", ["ingest", shrunk.path]),
            ("missing column", ["ingest", missingColumn.path]),
        ]
        for (name, command) in cases {
            let outcome = try WarehouseCLI.run(command + ["--database-url", database.url])
            #expect(outcome.status == 65, "\(name): \(outcome.status) \(outcome.standardError)")
        }
        let facts = try database.connect().execute("select count(*) as n from warehouse.fact_orders").single()
        #expect(try facts.int("n") == 40)
    }

    @Test func anUnreachableDatabaseOrARefusedLoginIs69() throws {
        let nowhere = "postgresql:///postgres?host=/tmp/warehouse-test-no-such-server&connect_timeout=2"
        for command in [["ingest", "-"], ["report", "total-orders"], ["status"], ["migrate"], ["serve", "--port", "0"]] {
            let outcome = try WarehouseCLI.run(command + ["--database-url", nowhere])
            #expect(outcome.status == 69, "\(command): \(outcome.status) \(outcome.standardError)")
        }
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        var parameters = database.parameters
        parameters["user"] = "no_such_role_\(UUID().uuidString.prefix(8).lowercased())"
        let refused = try WarehouseCLI.run(["report", "total-orders", "--database-url", parameters.url])
        #expect(refused.status == 69, "\(refused.standardError)")
    }

    @Test func staleDataIs75() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        #expect(try WarehouseCLI.run(["freshness", "--database-url", database.url]).status == 75)
    }

    @Test func anUnmigratedDatabaseIs78() throws {
        let database = try TestDatabase.fresh(migrated: false)
        defer { try? database.drop() }
        #expect(try WarehouseCLI.run(["report", "total-orders", "--database-url", database.url]).status == 78)
    }

    @Test func otherFailuresAre1() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("exit-home-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        var environment = WarehouseCLI.isolatedEnvironment
        environment["WAREHOUSE_SUPPLIER_TOKEN"] = "test-token"
        // Nothing listens on port 9 of 127.0.0.1: the supplier's API is down.
        let outcome = try WarehouseCLI.run(["pull", "--url", "http://127.0.0.1:9", "--max-attempts", "1", "--home", home.path,
                                            "--database-url", database.url], environment: environment)
        #expect(outcome.status == 1, "\(outcome.standardError)")
    }
}
