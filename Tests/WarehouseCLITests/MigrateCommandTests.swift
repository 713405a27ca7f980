import Testing
import WarehouseKit
import WarehouseTestSupport

/// `warehouse migrate` and `warehouse status` as processes, on databases of their own.
@Suite(.blockingWork) struct MigrateCommandTests {
    @Test func twoMigrateProcessesAtOnceApplyEverythingOnce() throws {
        let database = try TestDatabase.fresh(migrated: false)
        let count = try Migration.embedded().count
        let first = try WarehouseCLI.start(["migrate", "--database-url", database.url])
        let second = try WarehouseCLI.start(["migrate", "--database-url", database.url])
        let outcomes = [first.wait(), second.wait()]
        for outcome in outcomes {
            #expect(outcome.status == 0, "\(outcome.standardError)")
        }
        let outputs = outcomes.map(\.standardOutput)
        #expect(outputs.filter { $0.contains("Applied \(count) migration(s)") }.count == 1, "\(outputs)")
        #expect(outputs.filter { $0.contains("Nothing to migrate: all \(count) migrations are applied.") }.count == 1, "\(outputs)")
        let ledger = try database.connect().execute("select count(*) as n from ops.schema_migrations").single()
        #expect(try ledger.int("n") == count)
    }

    @Test func quietMigratePrintsOnlyItsResult() throws {
        let database = try TestDatabase.fresh(migrated: false)
        let count = try Migration.embedded().count
        let outcome = try WarehouseCLI.run(["migrate", "--quiet", "--database-url", database.url])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput == "Applied \(count) migration(s); \(count) in all.\n")
    }

    @Test func statusOnAnUnmigratedDatabaseSaysSoAndChangesNothing() throws {
        let database = try TestDatabase.fresh(migrated: false)
        let outcome = try WarehouseCLI.run(["status", "--database-url", database.url])
        #expect(outcome.status == 78, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("not migrated"))
        #expect(outcome.standardOutput.contains("Server:      PostgreSQL "))
        let ops = try database.connect().execute("select to_regnamespace('ops') is null as absent").single()
        #expect(try ops.bool("absent"))
    }

    @Test func statusOnAMigratedDatabaseShowsLoadsCountsAndIntegrity() throws {
        let database = try TestDatabase.fresh()
        let connection = try database.connect()
        try connection.execute("""
            insert into ops.load_batches (source, source_kind, status, finished_at, rows_read, rows_inserted, rows_updated, rows_rejected, tool_version)
            values ('orders.csv', 'file', 'succeeded', now(), 10, 8, 1, 1, 'test')
            """)
        let outcome = try WarehouseCLI.run(["status", "--database-url", database.url])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let text = outcome.standardOutput
        #expect(text.contains("Migrations:  \(try Migration.embedded().count) applied, 0 pending"))
        #expect(text.contains("succeeded"))
        #expect(text.contains("warehouse.fact_orders"))
        #expect(text.contains("Integrity:   ok"))
    }

    @Test func statusCallsALoadWhoseProcessIsGoneAbandoned() throws {
        let database = try TestDatabase.fresh()
        let connection = try database.connect()
        // A batch left running by a process that died: nobody holds the load lock.
        try connection.execute("""
            insert into ops.load_batches (source, source_kind, status, tool_version) values ('dead.csv', 'file', 'running', 'test')
            """)
        let gone = try WarehouseCLI.run(["status", "--database-url", database.url])
        #expect(gone.standardOutput.contains("abandoned"), "\(gone.standardOutput)")

        // While a load holds the lock, its batch is running.
        try connection.execute("select pg_advisory_lock(\(Int64(0x5748_4C4F_4144)))")
        let live = try WarehouseCLI.run(["status", "--database-url", database.url])
        #expect(live.standardOutput.contains("running"))
        #expect(!live.standardOutput.contains("abandoned"))
    }

    @Test func statusNeverPrintsThePassword() throws {
        let database = try TestDatabase.fresh(migrated: false)
        var parameters = database.parameters
        parameters["password"] = "s3cr3t-pw"  // trust authentication ignores it
        let outcome = try WarehouseCLI.run(["status", "--database-url", parameters.url])
        #expect(!outcome.standardOutput.contains("s3cr3t-pw"))
        #expect(!outcome.standardError.contains("s3cr3t-pw"))
    }
}
