/// Whether a database holds exactly the schema this build works with, found by reading only.
///
/// Only `warehouse migrate` changes the schema: every other command checks this first and
/// stops, naming `warehouse migrate`, unless it is ``current``. Reading it creates nothing, so
/// it works on an empty database and on a read-only hot standby.
public enum SchemaReadiness: Sendable, Equatable {
    case current
    /// No migration ledger: a new, empty database.
    case missing
    /// Migrations of this build the database lacks, by file name.
    case pending([String])
    /// The database was migrated by a newer build.
    case newer(databaseVersion: Int, codeVersion: Int)
    /// The ledger disagrees with this build (a changed, renamed or missing migration, a gap).
    case inconsistent(String)

    public var isCurrent: Bool { self == .current }

    /// A short, stable name for JSON and `/healthz`.
    public var name: String {
        switch self {
        case .current: return "current"
        case .missing: return "missing"
        case .pending: return "pending-migrations"
        case .newer: return "newer-than-binary"
        case .inconsistent: return "inconsistent"
        }
    }

    /// For the operator: what is wrong and the command that fixes it.
    public var message: String {
        switch self {
        case .current: return "schema is current"
        case .missing: return "the database has no warehouse schema; run `warehouse migrate` first"
        case .pending(let names):
            return "the database lacks migration(s) \(names.joined(separator: ", ")); run `warehouse migrate` first"
        case .newer(let database, let code):
            return "the database is at migration \(format4(database)), newer than this build's \(format4(code)); "
                + "use a newer warehouse (`warehouse migrate --status` lists the migrations)"
        case .inconsistent(let problem):
            return "the migration ledger disagrees with this build: \(problem) (see `warehouse migrate --status`)"
        }
    }

    /// Reads the ledger and compares it with `migrations` (default: this build's).
    /// - Throws: ``PostgresError`` when the database cannot be read.
    public static func inspect(_ connection: PostgresConnection, migrations: [Migration]? = nil) throws -> SchemaReadiness {
        let migrator = try Migrator(connection: connection, migrations: migrations)
        let ledger = SchemaLedgerStore(connection: connection)
        guard try ledger.exists() else { return .missing }
        do {
            let pending = try migrator.verify(applied: try ledger.entries())
            return pending.isEmpty ? .current : .pending(pending.map(\.fileName))
        } catch MigrationError.databaseNewerThanCode(let database, let code) {
            return .newer(databaseVersion: database, codeVersion: code)
        } catch let error as MigrationError {
            return .inconsistent(error.description)
        }
    }
}

/// Thrown by commands other than `migrate` when the schema is not ``SchemaReadiness/current``.
public struct SchemaNotReadyError: Error, CustomStringConvertible, Sendable {
    public let readiness: SchemaReadiness
    public init(_ readiness: SchemaReadiness) { self.readiness = readiness }
    public var description: String { readiness.message }
}

extension SchemaReadiness {
    /// Throws ``SchemaNotReadyError`` unless the schema is ``current``.
    public static func requireCurrent(_ connection: PostgresConnection) throws {
        let readiness = try inspect(connection)
        guard readiness.isCurrent else { throw SchemaNotReadyError(readiness) }
    }
}
