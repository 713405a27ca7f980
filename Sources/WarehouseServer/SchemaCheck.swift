import WarehouseKit

/// Whether the database holds the schema this binary's dashboard reads, checked without writing.
///
/// `warehouse serve` never migrates (it reads only; a schema change is an operator's decision):
/// when migrations are missing it says to run `warehouse migrate`. `Migrator.status()` cannot be
/// used here because it creates the ledger table when absent.
enum SchemaCheck: Sendable, Equatable {
    case current
    /// No migration ledger: a new, empty database.
    case missing
    /// Migrations this binary has that the database lacks.
    case pending([String])
    /// The database was migrated by a newer binary; the views may differ from what this one reads.
    case newer(databaseVersion: Int, codeVersion: Int)

    /// Everything but `current` and `newer` stops the dashboard from working.
    var isUsable: Bool {
        switch self {
        case .current, .newer: return true
        case .missing, .pending: return false
        }
    }

    /// For the operator: what is wrong and the command that fixes it.
    var message: String {
        switch self {
        case .current: return "schema is current"
        case .missing: return "the database has no warehouse schema; run `warehouse migrate` first"
        case .pending(let names):
            return "the database lacks migration(s) \(names.joined(separator: ", ")); run `warehouse migrate` first"
        case .newer(let database, let code):
            return "the database is at migration \(database), newer than this binary's \(code); upgrade warehouse"
        }
    }

    /// - Throws: ``PostgresError`` when the database cannot be read; `MigrationError` when the
    ///   binary's embedded migrations cannot be listed.
    static func run(on connection: PostgresConnection) throws -> SchemaCheck {
        let known = try Migration.embedded()
        return try connection.readOnlySnapshot {
            let ledger = try connection.execute("select to_regclass('ops.schema_migrations') is not null as present").single()
            guard try ledger.bool("present") else { return .missing }
            let applied = Set(try connection.execute("select version from ops.schema_migrations").rows.map { try $0.int("version") })
            let newestKnown = known.map(\.version).max() ?? 0
            if let newest = applied.max(), newest > newestKnown {
                return .newer(databaseVersion: newest, codeVersion: newestKnown)
            }
            let pending = known.filter { !applied.contains($0.version) }.map(\.fileName)
            return pending.isEmpty ? .current : .pending(pending)
        }
    }
}
