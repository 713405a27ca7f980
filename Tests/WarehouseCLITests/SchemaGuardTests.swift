import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// Only `warehouse migrate` changes the schema: every other command, on a database that is not
/// migrated, partly migrated or migrated by a newer build, says to run `warehouse migrate`,
/// exits 78 and creates nothing.
@Suite(.blockingWork) struct SchemaGuardTests {
    static let sample = TestSupport.packageRoot.appendingPathComponent("data/sample_orders.csv").path

    /// Every command that needs the schema, as an operator would run it.
    static func commands(url: String, scratch: URL) -> [[String]] {
        [
            ["ingest", Self.sample],
            ["ingest", "--json", Self.sample],
            ["check", Self.sample],
            ["pull", "--url", "http://127.0.0.1:9/api", "--home", scratch.path],
            ["pull", "--every", "1h", "--url", "http://127.0.0.1:9/api", "--home", scratch.path],
            ["report", "total-orders"],
            ["history", "1"],
            ["export-sqlite", scratch.appendingPathComponent("application.db").path],
            ["serve", "--port", "0"],
            ["status"],
        ].map { $0 + ["--database-url", url] }
    }

    /// Schema names and the number of relations: what "nothing was created" means.
    static func catalog(_ database: TestDatabase) throws -> [String] {
        let connection = try database.connect()
        let schemas = try connection.execute("select nspname from pg_namespace order by nspname").rows.map { try $0.string("nspname") }
        let relations = try connection.execute("select count(*) as n from pg_class").single().string("n")
        return schemas + ["relations: \(relations)"]
    }

    static func expectRefusedEverywhere(_ database: TestDatabase, naming text: String) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("guard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let before = try catalog(database)
        var environment = WarehouseCLI.isolatedEnvironment
        environment["WAREHOUSE_SUPPLIER_TOKEN"] = "test-token"
        for command in commands(url: database.url, scratch: scratch) {
            let outcome = try WarehouseCLI.run(command, environment: environment)
            #expect(outcome.status == 78, "\(command): \(outcome.status) \(outcome.standardError)")
            #expect(outcome.standardError.contains(text), "\(command): \(outcome.standardError)")
        }
        #expect(try catalog(database) == before)
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("application.db").path))
    }

    @Test func aDatabaseNeverMigratedIsRefusedByEveryCommandButMigrate() throws {
        let database = try TestDatabase.fresh(migrated: false)
        defer { try? database.drop() }
        try Self.expectRefusedEverywhere(database, naming: "run `warehouse migrate` first")

        let migrate = try WarehouseCLI.run(["migrate", "--database-url", database.url])
        #expect(migrate.status == 0, "\(migrate.standardError)")
        let ingest = try WarehouseCLI.run(["ingest", "--quiet", "--database-url", database.url, Self.sample])
        #expect(ingest.status == 0, "\(ingest.standardError)")
    }

    @Test func aPartlyMigratedDatabaseNamesThePendingMigrations() throws {
        let database = try TestDatabase.fresh(migrated: false)
        defer { try? database.drop() }
        let all = try Migration.embedded()
        try Migrator(connection: try database.connect(), migrations: Array(all.dropLast())).migrate()
        try Self.expectRefusedEverywhere(database, naming: all.last!.fileName)
    }

    @Test func aDatabaseOfANewerBuildIsRefused() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        try database.connect().execute("""
            insert into ops.schema_migrations (version, name, checksum, duration_ms) values (9999, 'from_the_future', 'x', 0)
            """)
        try Self.expectRefusedEverywhere(database, naming: "newer than this build")
    }

    /// A hot standby refuses every write: a database whose transactions are all read-only
    /// stands in for one. The read commands work there unchanged.
    @Test func readCommandsWriteNothing() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let load = try WarehouseCLI.run(["ingest", "--quiet", "--database-url", database.url, Self.sample])
        #expect(load.status == 0, "\(load.standardError)")
        try database.connect().execute("alter database \(identifier: database.name) set default_transaction_read_only = on")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("standby-\(UUID().uuidString).db")
        defer { try? FileManager.default.removeItem(at: output) }
        for command in [
            ["report", "top-customers", "--as-of", "2023-12-10"], ["history", "1001"], ["status"], ["migrate", "--status"],
            ["export-sqlite", output.path, "--as-of", "2023-12-10"],
        ] {
            let outcome = try WarehouseCLI.run(command + ["--database-url", database.url])
            #expect(outcome.status == 0, "\(command): \(outcome.standardError)")
        }
    }
}
