/// `ops.schema_migrations`, the migration ledger: every statement that reads or writes it.
///
/// Reads never create anything, so they work on an unmigrated database and on a read-only
/// hot standby; only ``create()`` and ``record(_:milliseconds:)`` write, and only `migrate`
/// calls them.
public struct SchemaLedgerStore {
    /// Arbitrary but fixed: `pg_advisory_lock` key shared by every `warehouse migrate`.
    static let lockKey: Int64 = 0x5748_4D49_4752  // "WHMIGR"

    /// One ledger row.
    public struct Entry: Sendable {
        public let version: Int
        public let name: String
        public let checksum: String
        public let appliedAt: String
        public let durationMilliseconds: Int
    }

    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Whether the ledger table exists (a database never migrated has none).
    public func exists() throws -> Bool {
        try connection.execute("select to_regclass('ops.schema_migrations') is not null as present").single().bool("present")
    }

    /// The applied migrations, oldest first.
    public func entries() throws -> [Entry] {
        let result = try connection.execute("""
            select version, name, checksum, to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS TZ') as applied_at, duration_ms
            from ops.schema_migrations order by version
            """)
        return try result.rows.map {
            Entry(
                version: try $0.int("version"), name: try $0.string("name"), checksum: try $0.string("checksum"),
                appliedAt: try $0.string("applied_at"), durationMilliseconds: try $0.int("duration_ms"))
        }
    }

    /// Creates the schema `ops` and the empty ledger when absent. Idempotent, and safe if two
    /// processes race: IF NOT EXISTS plus a retry on the unique violation that concurrent
    /// CREATEs can raise in the catalog.
    func create() throws {
        do {
            try createOnce()
        } catch let error as PostgresError where error.sqlState == "23505" || error.sqlState == "42P07" {
            try createOnce()
        }
    }

    private func createOnce() throws {
        if try exists() { return }
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

    /// Inside the migration's own transaction, so the row commits with what it did.
    func record(_ migration: Migration, milliseconds: Int) throws {
        try connection.execute("""
            insert into ops.schema_migrations (version, name, checksum, duration_ms)
            values (\(migration.version), \(migration.name), \(migration.checksum), \(milliseconds))
            """)
    }

    /// Waits for every other migrator to finish; the second then finds nothing pending.
    func lock() throws { try connection.execute("select pg_advisory_lock(\(Self.lockKey))") }

    func unlock() { _ = try? connection.execute("select pg_advisory_unlock(\(Self.lockKey))") }
}
