public import Foundation

/// Where an embedded cluster keeps its files.
///
/// Normally everything is under `<home>/pg`: `data/`, `server.log`, and `run/` for the unix
/// socket. Two exceptions:
/// - Unix socket paths are limited to 107 bytes, so when `<home>/pg/run/.s.PGSQL.5432` is
///   longer the socket goes to `/tmp/warehouse-<hash of home>` instead.
/// - When running as root and the server's account cannot enter the home folder (say a home
///   under `/root`, mode 700), the cluster is *relocated* to `/var/tmp/warehouse-<hash of home>`.
///   `/var/tmp` survives reboots, unlike `/tmp`; `warehouse db status` says where it is.
public struct ClusterLayout: Sendable, Equatable {
    /// The folder that holds `data/`, `server.log` and usually `run/`.
    public let root: URL
    public let socketDirectory: URL
    /// True when `root` is outside the home folder (see above).
    public let isRelocated: Bool

    public var dataDirectory: URL { root.appendingPathComponent("data", isDirectory: true) }
    public var logFile: URL { root.appendingPathComponent("server.log") }
    var configFile: URL { dataDirectory.appendingPathComponent("warehouse.conf") }
    var pidFile: URL { dataDirectory.appendingPathComponent("postmaster.pid") }
    /// initdb writes here first and the folder is renamed when it succeeded, so a crash during
    /// initdb never leaves a half-made `data/` that looks real.
    var initdbDirectory: URL { root.appendingPathComponent("data.initdb", isDirectory: true) }
    var socketFile: URL { socketDirectory.appendingPathComponent(".s.PGSQL.\(EmbeddedCluster.port)") }

    /// Whether initdb has completed here.
    public var isInitialized: Bool {
        FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path)
    }

    /// The PostgreSQL major version the data folder was made by, e.g. "15".
    public var dataVersion: String? {
        (try? String(contentsOf: dataDirectory.appendingPathComponent("PG_VERSION"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// sizeof(sockaddr_un.sun_path) is 108 on Linux, and the path needs its terminating NUL.
    static let maxSocketPathBytes = 107

    init(home: URL, relocated: Bool) {
        let tag = Self.tag(for: home)
        root = relocated
            ? URL(fileURLWithPath: "/var/tmp/warehouse-\(tag)", isDirectory: true)
            : home.appendingPathComponent("pg", isDirectory: true)
        isRelocated = relocated
        let preferred = root.appendingPathComponent("run", isDirectory: true)
        let socketPath = preferred.appendingPathComponent(".s.PGSQL.\(EmbeddedCluster.port)").path
        socketDirectory = socketPath.utf8.count <= Self.maxSocketPathBytes
            ? preferred
            : URL(fileURLWithPath: "/tmp/warehouse-\(tag)", isDirectory: true)
    }

    /// A short, stable name for a home folder: the same home always maps to the same folders.
    static func tag(for home: URL) -> String {
        String(SHA256Hasher.hex(of: home.standardizedFileURL.path).prefix(16))
    }

    /// pg_ctl pastes the data and log paths into a `/bin/sh -c` line inside double quotes, so
    /// characters special there would break (or worse, run). Refuse them up front.
    func checkPathsAreSafe() throws {
        let special: Set<Character> = ["\"", "\\", "$", "`", "\n", "'", ","]
        for url in [dataDirectory, logFile, socketDirectory] where url.path.contains(where: special.contains) {
            throw EmbeddedClusterError(.unsafePath, """
                the embedded cluster cannot live in \(url.path): PostgreSQL's pg_ctl cannot quote \
                the characters " \\ $ ` ' , or a newline. Choose another --home (or WAREHOUSE_HOME).
                """)
        }
    }
}
