public import Foundation

/// Where the PostgreSQL server programs (`initdb`, `pg_ctl`, `postgres`) live.
///
/// Looked up in this order: `WAREHOUSE_PG_BINDIR`; `pg_config --bindir` when that folder holds
/// the server programs (on Debian `pg_config` comes with libpq-dev and points at
/// `/usr/lib/postgresql/N/bin`); the newest `/usr/lib/postgresql/*/bin`; then `PATH`
/// (Homebrew, or distributions that put them in `/usr/bin`).
public struct PostgresBinaries: Sendable, Equatable {
    public let directory: URL

    public var initdb: URL { directory.appendingPathComponent("initdb") }
    public var pgCtl: URL { directory.appendingPathComponent("pg_ctl") }

    static let required = ["initdb", "pg_ctl", "postgres"]

    /// - Throws: ``EmbeddedClusterError`` `.binariesNotFound`, naming the package to install.
    public static func locate(environment: [String: String]) throws -> PostgresBinaries {
        if let override = environment["WAREHOUSE_PG_BINDIR"], !override.isEmpty {
            let directory = URL(fileURLWithPath: override, isDirectory: true)
            guard holdsServer(directory) else {
                throw EmbeddedClusterError(.binariesNotFound, """
                    WAREHOUSE_PG_BINDIR=\(override) does not hold PostgreSQL's initdb, pg_ctl and postgres.
                    """)
            }
            return PostgresBinaries(directory: directory)
        }
        for candidate in candidates(environment: environment) where holdsServer(candidate) {
            return PostgresBinaries(directory: candidate)
        }
        throw EmbeddedClusterError(.binariesNotFound, notFoundMessage)
    }

    static let notFoundMessage = """
        PostgreSQL's server programs (initdb, pg_ctl) were not found, so the embedded database cannot be created.
        Install them — Debian/Ubuntu: sudo apt-get install postgresql; Fedora: sudo dnf install postgresql-server; \
        macOS: brew install postgresql@16 — or set WAREHOUSE_PG_BINDIR to the folder that holds them.
        Or use a PostgreSQL server you already have: --database-url or DATABASE_URL=postgresql://user@host/db.
        """

    static func candidates(environment: [String: String]) -> [URL] {
        var result: [URL] = []
        if let fromPgConfig = pgConfigBindir(environment: environment) { result.append(fromPgConfig) }
        result += debianVersionDirectories()
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        result += path.split(separator: ":").map { URL(fileURLWithPath: String($0), isDirectory: true) }
        return result
    }

    static func holdsServer(_ directory: URL) -> Bool {
        required.allSatisfy { FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent($0).path) }
    }

    /// `/usr/lib/postgresql/<major>/bin`, newest major first.
    static func debianVersionDirectories() -> [URL] {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql", isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.compactMap { name in Double(name).map { (name, $0) } }
            .sorted { $0.1 > $1.1 }
            .map { root.appendingPathComponent($0.0, isDirectory: true).appendingPathComponent("bin", isDirectory: true) }
    }

    static func pgConfigBindir(environment: [String: String]) -> URL? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let pgConfig = path.split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent("pg_config") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        guard let pgConfig else { return nil }
        let runner = ProcessRunner(environment: environment)
        guard let outcome = try? runner.run(pgConfig, ["--bindir"]), outcome.succeeded, !outcome.output.isEmpty else {
            return nil
        }
        return URL(fileURLWithPath: outcome.output, isDirectory: true)
    }

    /// The server's version as `postgres --version` prints it, e.g. "postgres (PostgreSQL) 15.18".
    func serverVersion(environment: [String: String]) -> String? {
        let outcome = try? ProcessRunner(environment: environment)
            .run(directory.appendingPathComponent("postgres"), ["--version"])
        guard let outcome, outcome.succeeded else { return nil }
        return outcome.output
    }
}
