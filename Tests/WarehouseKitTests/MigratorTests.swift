import Testing
import WarehouseKit
import WarehouseTestSupport

/// The migration ledger's rules, each against a database of its own.
@Suite struct MigratorTests {
    private func ledgerVersions(_ connection: PostgresConnection) throws -> [Int] {
        try connection.execute("select version from ops.schema_migrations order by version").rows.map { try $0.int("version") }
    }

    @Test func aSecondRunFindsNothingToDo() throws {
        let database = try TestDatabase.fresh(migrated: false)
        let connection = try database.connect()
        let all = try Migration.embedded()
        let first = try Migrator(connection: connection).migrate()
        #expect(first.applied.map(\.migration.version) == all.map(\.version))
        #expect(first.alreadyApplied == 0)
        let second = try Migrator(connection: connection).migrate()
        #expect(second.applied.isEmpty)
        #expect(second.alreadyApplied == all.count)
        #expect(try Migrator(connection: connection).status().pending.isEmpty)
    }

    @Test func aChangedAppliedMigrationIsRefusedWithNothingApplied() throws {
        let database = try TestDatabase.fresh(migrated: false)
        let connection = try database.connect()
        let all = try Migration.embedded()
        try #require(all.count >= 3)
        try Migrator(connection: connection, migrations: Array(all.prefix(2))).migrate()

        var tampered = all
        tampered[1] = try Migration(fileName: all[1].fileName, sql: all[1].sql + "\n-- edited after release\n")
        let error = try #require(throws: MigrationError.self) {
            try Migrator(connection: connection, migrations: tampered).migrate()
        }
        guard case .checksumMismatch(let version, _, _, _) = error else {
            Issue.record("expected a checksum mismatch, got \(error)")
            return
        }
        #expect(version == all[1].version)
        #expect(try ledgerVersions(connection) == all.prefix(2).map(\.version))
    }

    @Test func aMissingAppliedMigrationIsRefused() throws {
        let database = try TestDatabase.fresh(migrated: false)
        let connection = try database.connect()
        let all = try Migration.embedded()
        try #require(all.count >= 4)
        try Migrator(connection: connection, migrations: Array(all.prefix(3))).migrate()

        var withoutSecond = all
        withoutSecond.remove(at: 1)
        #expect(throws: MigrationError.appliedMigrationMissing(version: all[1].version, name: all[1].name)) {
            try Migrator(connection: connection, migrations: withoutSecond).migrate()
        }
        #expect(try ledgerVersions(connection) == all.prefix(3).map(\.version))
    }

    @Test func aDatabaseNewerThanTheCodeIsRefused() throws {
        let database = try TestDatabase.fresh(migrated: true)
        let connection = try database.connect()
        let all = try Migration.embedded()
        let older = Array(all.prefix(all.count - 2))
        #expect(throws: MigrationError.databaseNewerThanCode(
            databaseVersion: all.last!.version, codeVersion: older.last!.version)) {
            try Migrator(connection: connection, migrations: older).migrate()
        }
        #expect(throws: MigrationError.self) { try Migrator(connection: connection, migrations: older).status() }
    }

    @Test func freshMigratedDatabasesComeFromTheTemplate() throws {
        let first = try TestDatabase.fresh()
        let second = try TestDatabase.fresh()
        #expect(first.name != second.name)
        let status = try Migrator(connection: try first.connect()).status()
        #expect(status.pending.isEmpty)
        #expect(status.applied.count == (try Migration.embedded().count))
        try first.drop()
        try first.drop()  // a second drop does nothing
        #expect(throws: PostgresError.self) { try first.connect() }
    }
}
