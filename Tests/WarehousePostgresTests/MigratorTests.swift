import Testing
import WarehouseKit
import WarehouseTestSupport

/// The migration ledger's rules, each against a database of its own.
@Suite(.blockingWork) struct MigratorTests {
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

    /// 0001's header comment was reworded after release: databases migrated with the earlier
    /// text keep working, and only that exact earlier text is accepted.
    @Test func aRecordedCommentOnlyRevisionIsAccepted() throws {
        let database = try TestDatabase.fresh()
        let connection = try database.connect()
        try connection.execute("""
            update ops.schema_migrations
            set checksum = '7fed52191f6322c0b8988404e89066fd144667a1d9b4b31ae5c8752bfceb5f0b' where version = 1
            """)
        #expect(try Migrator(connection: connection).status().pending.isEmpty)
        try connection.execute("update ops.schema_migrations set checksum = repeat('0', 64) where version = 1")
        #expect(throws: MigrationError.self) { try Migrator(connection: connection).status() }
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

    /// A row deleted from the ledger below its newest version: the migration's objects are
    /// there, so running it again could only fail half-way with "already exists". Refused up
    /// front, naming it, with nothing applied.
    @Test func aLedgerGapIsRefusedNamingTheMigration() throws {
        let database = try TestDatabase.fresh(migrated: true)
        let connection = try database.connect()
        let all = try Migration.embedded()
        let missing = try #require(all.first { $0.name == "star_schema" })
        try connection.execute("delete from ops.schema_migrations where version = \(missing.version)")

        let error = try #require(throws: MigrationError.self) { try Migrator(connection: connection).migrate() }
        guard case .ledgerGap(let version, let name, let newest, _) = error else {
            Issue.record("expected a ledger gap, got \(error)")
            return
        }
        #expect(version == missing.version && name == missing.name && newest == all.last!.version)
        #expect(error.description.contains("migration 0003_star_schema is not in the ledger"), "\(error)")
        #expect(error.description.contains(missing.checksum), "the message says how to restore the row: \(error)")
        #expect(try ledgerVersions(connection) == all.map(\.version).filter { $0 != missing.version })
        #expect(throws: MigrationError.self) { try Migrator(connection: connection).status() }
    }

    /// The newest rows deleted leave no gap, so their migrations look pending; running the first
    /// of them meets its own objects. That failure names the migration and the likely cause, not
    /// just PostgreSQL's "relation … already exists". (The rows go back to the newest migration
    /// that creates a table: one that only replaces functions runs again without harm.)
    @Test func aDeletedNewestLedgerRowNamesTheMigrationWhoseObjectsExist() throws {
        let database = try TestDatabase.fresh(migrated: true)
        let connection = try database.connect()
        let all = try Migration.embedded()
        let newest = try #require(all.last { $0.sql.contains("create table") })
        try connection.execute("delete from ops.schema_migrations where version >= \(newest.version)")

        let error = try #require(throws: MigrationError.self) { try Migrator(connection: connection).migrate() }
        guard case .objectsAlreadyExist(let version, let name, _) = error else {
            Issue.record("expected objects-already-exist, got \(error)")
            return
        }
        #expect(version == newest.version && name == newest.name)
        let label = String(newest.fileName.dropLast(".sql".count))
        #expect(error.description.contains("migration \(label) is not in the ledger but its objects exist"), "\(error)")
        #expect(error.description.contains("already exists"), "PostgreSQL's own words stay: \(error)")
        #expect(try ledgerVersions(connection) == all.map(\.version).filter { $0 < newest.version })
    }

    /// Same version, another name: a released migration renamed. Refused like an edited one.
    @Test func aRenamedAppliedMigrationIsRefused() throws {
        let database = try TestDatabase.fresh(migrated: false)
        let connection = try database.connect()
        let all = try Migration.embedded()
        try #require(all.count >= 3)
        try Migrator(connection: connection, migrations: Array(all.prefix(3))).migrate()

        var renamed = all
        renamed[2] = try Migration(fileName: "0003_stars_renamed.sql", sql: all[2].sql)
        #expect(renamed[2].checksum == all[2].checksum && renamed[2].version == all[2].version)
        let error = try #require(throws: MigrationError.self) {
            try Migrator(connection: connection, migrations: renamed).migrate()
        }
        #expect(error == .renamed(version: all[2].version, appliedName: all[2].name, fileName: "stars_renamed"))
        #expect(error.description.contains("0003_\(all[2].name).sql"), "\(error)")
        #expect(error.description.contains("0003_stars_renamed.sql"), "\(error)")
        #expect(try ledgerVersions(connection) == all.prefix(3).map(\.version))
        #expect(throws: MigrationError.self) { try Migrator(connection: connection, migrations: renamed).status() }
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
