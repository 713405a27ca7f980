import Foundation

/// Applies `migrations/` to a database, forward only.
///
/// Each migration runs in its own transaction together with its ledger row in
/// `ops.schema_migrations`: PostgreSQL's DDL is transactional, so a failed migration leaves no
/// half-applied "dirty" state to repair by hand. A session advisory lock keeps two migrators
/// from racing; the second waits, then finds nothing pending.
public struct Migrator {
    /// A ledger row: see ``SchemaLedgerStore``, which owns every statement on the ledger.
    public typealias Applied = SchemaLedgerStore.Entry

    public struct Status: Sendable {
        public let applied: [Applied]
        public let pending: [Migration]
    }

    public struct Report: Sendable {
        public let applied: [(migration: Migration, milliseconds: Int)]
        public let alreadyApplied: Int
    }

    let connection: PostgresConnection
    let migrations: [Migration]

    public init(connection: PostgresConnection, migrations: [Migration]? = nil) throws {
        self.connection = connection
        self.migrations = try migrations ?? Migration.embedded()
    }

    /// Applies every pending migration, or none when the ledger disagrees with the files.
    /// - Throws: ``MigrationError`` before anything is applied; ``PostgresError`` when a migration's
    ///   SQL fails (that migration is rolled back, earlier ones stay applied).
    @discardableResult
    public func migrate(progress: (Migration) -> Void = { _ in }) throws -> Report {
        let ledger = SchemaLedgerStore(connection: connection)
        try ledger.create()
        try ledger.lock()
        defer { ledger.unlock() }

        let applied = try ledger.entries()
        let pending = try verify(applied: applied)
        var done: [(Migration, Int)] = []
        for migration in pending {
            progress(migration)
            let started = DispatchTime.now()
            try connection.transaction {
                do {
                    try connection.executeScript(migration.sql)
                } catch let error as PostgresError where Self.alreadyExistsStates.contains(error.sqlState ?? "") {
                    // A pending migration meeting its own objects ran before and lost its
                    // ledger row (the newest row deleted leaves no gap for verify to see).
                    throw MigrationError.objectsAlreadyExist(
                        version: migration.version, name: migration.name, detail: error.message)
                }
                let milliseconds = Int((DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000)
                try ledger.record(migration, milliseconds: milliseconds)
            }
            let milliseconds = Int((DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000)
            done.append((migration, milliseconds))
        }
        return Report(applied: done, alreadyApplied: applied.count)
    }

    /// What is applied and what is pending, reading only: on a database never migrated, every
    /// migration is pending. Works on a read-only standby.
    public func status() throws -> Status {
        let ledger = SchemaLedgerStore(connection: connection)
        let applied = try ledger.exists() ? try ledger.entries() : []
        let pending = try verify(applied: applied)
        return Status(applied: applied, pending: pending)
    }

    /// SQLSTATEs of "… already exists": duplicate table/relation, object, schema, function,
    /// column, database.
    static let alreadyExistsStates: Set<String> = ["42P07", "42710", "42P06", "42723", "42701", "42P04"]

    /// Refuses tampered, renamed, missing or unknown-newer migrations and gaps in the ledger;
    /// returns the pending ones in order.
    func verify(applied: [Applied]) throws -> [Migration] {
        let byVersion = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        let newestKnown = migrations.last?.version ?? 0
        for entry in applied {
            guard let migration = byVersion[entry.version] else {
                if entry.version > newestKnown {
                    throw MigrationError.databaseNewerThanCode(databaseVersion: applied.last!.version, codeVersion: newestKnown)
                }
                throw MigrationError.appliedMigrationMissing(version: entry.version, name: entry.name)
            }
            guard migration.name == entry.name else {
                throw MigrationError.renamed(version: entry.version, appliedName: entry.name, fileName: migration.name)
            }
            guard migration.matches(appliedChecksum: entry.checksum) else {
                throw MigrationError.checksumMismatch(
                    version: entry.version, name: entry.name, applied: entry.checksum, file: migration.checksum)
            }
        }
        let appliedVersions = Set(applied.map(\.version))
        let pending = migrations.filter { !appliedVersions.contains($0.version) }
        // Migrations apply in order, so one missing below the newest applied version was
        // applied once and lost its row: running it again would meet its own objects.
        if let newest = applied.last?.version, let gap = pending.first(where: { $0.version < newest }) {
            throw MigrationError.ledgerGap(
                version: gap.version, name: gap.name, newestApplied: newest, checksum: gap.checksum)
        }
        return pending
    }
}
