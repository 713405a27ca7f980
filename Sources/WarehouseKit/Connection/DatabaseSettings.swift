public import Foundation

/// Where the warehouse lives, resolved in this order: `--database-url`, else `DATABASE_URL`,
/// else libpq's own `PG*` variables when set, else the embedded default cluster under the home
/// folder (`--home`, else `WAREHOUSE_HOME`, else `./.warehouse`).
public struct DatabaseSettings: Sendable {
    public enum Source: Sendable, Equatable {
        case flag(String)
        case environment(String)
        /// libpq reads PGHOST, PGDATABASE, … itself; the conninfo is empty.
        case libpqVariables
        case embedded
    }

    public let source: Source
    public let home: URL
    public let environment: [String: String]

    public init(databaseURL: String? = nil, home: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        self.home = Self.resolveHome(home, environment: environment)
        if let databaseURL, !databaseURL.isEmpty {
            source = .flag(databaseURL)
        } else if let url = environment["DATABASE_URL"], !url.isEmpty {
            source = .environment(url)
        } else if Self.libpqVariables.contains(where: { environment[$0]?.isEmpty == false }) {
            source = .libpqVariables
        } else {
            source = .embedded
        }
    }

    /// Variables that mean "the user configured libpq already".
    static let libpqVariables = ["PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"]

    static func resolveHome(_ flag: String?, environment: [String: String]) -> URL {
        let path = flag ?? environment["WAREHOUSE_HOME"] ?? ".warehouse"
        // The real working directory, not $PWD, which can be stale (make -C, a spawned child).
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        return URL(fileURLWithPath: path, isDirectory: true, relativeTo: cwd).standardizedFileURL
    }

    /// The embedded cluster of this home folder.
    public var embeddedCluster: EmbeddedCluster { EmbeddedCluster(home: home, environment: environment) }

    /// A libpq conninfo for the target; starts the embedded cluster when that is the target.
    public func conninfo() throws -> String {
        switch source {
        case .flag(let url), .environment(let url): return url
        case .libpqVariables: return ""
        case .embedded: return try embeddedCluster.startIfNeeded().conninfo
        }
    }

    /// Opens a connection to the target (starting the embedded cluster on demand).
    public func connect() throws -> PostgresConnection {
        try PostgresConnection(conninfo: conninfo())
    }

    /// Where we connect, for messages: the password is never shown.
    public var displayName: String {
        switch source {
        case .flag(let url): return ConnectionString.redact(url) + " (--database-url)"
        case .environment(let url): return ConnectionString.redact(url) + " (DATABASE_URL)"
        case .libpqVariables: return "libpq PG* environment variables"
        case .embedded: return "embedded cluster in \(home.path)"
        }
    }
}
