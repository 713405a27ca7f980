import Foundation

/// Applies `migrations/` to a database, forward only.
///
/// Each migration runs in its own transaction together with its ledger row in
/// `ops.schema_migrations`: PostgreSQL's DDL is transactional, so a failed migration leaves no
/// half-applied "dirty" state to repair by hand. A session advisory lock keeps two migrators
/// from racing; the second waits, then finds nothing pending.
public struct Migrator {
    /// Arbitrary but fixed: `pg_advisory_lock` key shared by every `warehouse migrate`.
    static let lockKey: Int64 = 0x5748_4D49_4752  // "WHMIGR"

    public struct Applied: Sendable {
        public let version: Int
        public let name: String
        public let checksum: String
        public let appliedAt: String
        public let durationMilliseconds: Int
    }

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
        try bootstrapLedger()
        try connection.execute("select pg_advisory_lock(\(Self.lockKey))")
        defer { _ = try? connection.execute("select pg_advisory_unlock(\(Self.lockKey))") }

        let applied = try readLedger()
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
                try connection.execute("""
                    insert into ops.schema_migrations (version, name, checksum, duration_ms)
                    values (\(migration.version), \(migration.name), \(migration.checksum), \(milliseconds))
                    """)
            }
            let milliseconds = Int((DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000)
            done.append((migration, milliseconds))
        }
        return Report(applied: done, alreadyApplied: applied.count)
    }

    /// What is applied and what is pending, without changing anything (beyond creating the empty ledger).
    public func status() throws -> Status {
        try bootstrapLedger()
        let applied = try readLedger()
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

    func bootstrapLedger() throws {
        // Idempotent, and safe if two processes race: IF NOT EXISTS plus a retry on the
        // unique violation that concurrent CREATEs can raise in the catalog.
        do {
            try createLedger()
        } catch let error as PostgresError where error.sqlState == "23505" || error.sqlState == "42P07" {
            try createLedger()
        }
    }

    private func createLedger() throws {
        let exists = try connection.execute("select to_regclass('ops.schema_migrations') is not null as present")
        if try exists.single().bool("present") { return }
        try connection.executeScript("""
            create schema if not exists ops;
            create table if not exists ops.schema_migrations (
                version integer primary key,
                name text not null,
                checksum text not null,
                applied_at timestamptz not null default now(),
                duration_ms integer not null
            );
            """)
    }

    func readLedger() throws -> [Applied] {
        let result = try connection.execute("""
            select version, name, checksum, to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS TZ') as applied_at, duration_ms
            from ops.schema_migrations order by version
            """)
        return try result.rows.map {
            Applied(
                version: try $0.int("version"), name: try $0.string("name"), checksum: try $0.string("checksum"),
                appliedAt: try $0.string("applied_at"), durationMilliseconds: try $0.int("duration_ms"))
        }
    }
}
