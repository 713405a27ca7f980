import ArgumentParser
import WarehouseKit

/// The exit statuses every command uses, in the spirit of sysexits(3), so a scheduler can tell
/// "the file was bad" from "the database is down" from "run migrate first". Documented in the
/// root `--help` and docs/operations.md; tests run the binary for each.
enum ExitStatus: Int32, CaseIterable, Sendable {
    case success = 0
    /// Anything not below: the supplier's API failed after its retries, a file cannot be read,
    /// the integrity check found orphans.
    case failure = 1
    /// A wrong command line (ArgumentParser's own status for usage errors).
    case usage = 64
    /// The input was refused: too many rejects, the shrink guard, no valid rows, a missing column.
    case dataRefused = 65
    /// The database cannot be reached, or refused the login.
    case databaseUnavailable = 69
    /// `freshness`: the last successful load is older than --max-age, or there was none.
    case stale = 75
    /// The database is not migrated (or only partly), or is newer than this build.
    case schemaNotReady = 78

    /// The stable name JSON error objects carry as `code`.
    var name: String {
        switch self {
        case .success: return "ok"
        case .failure: return "failed"
        case .usage: return "usage"
        case .dataRefused: return "data_refused"
        case .databaseUnavailable: return "database_unavailable"
        case .stale: return "stale"
        case .schemaNotReady: return "schema_not_ready"
        }
    }

    /// The status an error ends a command with.
    init(classifying error: any Error) {
        switch error {
        case let code as ExitCode:
            self = ExitStatus(rawValue: code.rawValue) ?? .failure
        case is SchemaNotReadyError:
            self = .schemaNotReady
        case let error as IngestError:
            switch error {
            case .integrityViolation, .interrupted: self = .failure
            default: self = .dataRefused
            }
        case let error as PostgresError where error.kind == .connection:
            self = .databaseUnavailable
        case is EmbeddedClusterError:
            self = .databaseUnavailable
        default:
            self = .failure
        }
    }

    /// The table the root `--help` and docs/operations.md show.
    static let helpTable = """
        Exit status: 0 success; 1 other failure (the supplier's API, a file that cannot be read, \
        an integrity problem); 64 usage error; 65 data refused (too many rejects, the shrink guard, \
        no valid rows, a missing column); 69 database unreachable or login refused; 75 stale data \
        (freshness); 78 schema not migrated, or newer than this build (run `warehouse migrate`).
        """
}
