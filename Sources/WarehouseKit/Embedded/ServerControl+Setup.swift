import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ServerControl {
    /// initdb, once: into `data.initdb/`, renamed to `data/` only when it succeeded.
    ///
    /// UTF8, trust authentication (the socket is reachable by its owner only) and a superuser
    /// named `warehouse`. Collation is `C`: byte order sorts fast and cannot change under an
    /// index when the C library is upgraded; character classes are `C.UTF-8`, so `lower()` and
    /// `upper()` know accented letters (plain `C` where the system lacks that locale).
    /// https://www.postgresql.org/docs/current/app-initdb.html
    func initialize() throws {
        try prepareDirectories()
        let manager = FileManager.default
        try? manager.removeItem(at: layout.initdbDirectory)
        var common = [
            "-D", layout.initdbDirectory.path, "--username=\(EmbeddedCluster.superuser)",
            "--auth=trust", "--encoding=UTF8",
        ]
        // A cluster asked to run without fsync (tests) gains nothing from initdb's final sync,
        // which takes seconds on a busy disk.
        if cluster.settings["fsync"] == "off" { common.append("--no-sync") }
        var failure = ""
        for locale in [["--locale=C.UTF-8", "--lc-collate=C"], ["--locale=C"]] {
            let outcome = try run(binaries.initdb, common + locale)
            if outcome.succeeded {
                failure = ""
                break
            }
            failure = outcome.output
            try? manager.removeItem(at: layout.initdbDirectory)
        }
        guard failure.isEmpty else {
            throw EmbeddedClusterError(.initFailed, "initdb failed in \(layout.initdbDirectory.path):\n\(failure)")
        }
        // Our settings live in their own file, rewritten on each start (see configuration(for:)).
        let mainConfig = layout.initdbDirectory.appendingPathComponent("postgresql.conf")
        let handle = try FileHandle(forWritingTo: mainConfig)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\n# Settings of warehouse's embedded cluster.\ninclude 'warehouse.conf'\n".utf8))
        try manager.moveItem(at: layout.initdbDirectory, to: layout.dataDirectory)
    }

    /// The cluster folder and the socket folder: owned by the server account, mode 700.
    func prepareDirectories() throws {
        try makePrivateDirectory(layout.root)
        try makePrivateDirectory(layout.socketDirectory)
        let log = layout.logFile
        if !FileManager.default.fileExists(atPath: log.path) {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        try account.adopt(log)
    }

    /// Creates `url` if needed and makes it the server account's, refusing a folder someone
    /// else made first: `/tmp` and `/var/tmp` are writable by everyone, and a folder planted
    /// there by another user could capture the socket or the data.
    func makePrivateDirectory(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        guard let owner = ServerAccount.owner(of: url), owner.uid == geteuid() || owner.uid == account.uid else {
            throw EmbeddedClusterError(.unsafePath, """
                \(url.path) belongs to another user: remove it, or choose another --home
                """)
        }
        try account.adopt(url)
        guard chmod(url.path, 0o700) == 0 else {
            throw EmbeddedClusterError(.commandFailed, "could not chmod 700 \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes `warehouse.conf` for the server account to read.
    func writeConfiguration() throws {
        let file = layout.configFile
        try Data(cluster.configuration(for: layout).utf8).write(to: file, options: .atomic)
        try account.adopt(file)
        _ = chmod(file.path, 0o600)
    }

    /// Creates the `warehouse` database on first start (the lock keeps this single-file).
    func ensureDatabase() throws {
        let connection = try PostgresConnection(conninfo: EmbeddedCluster.parameters(layout, database: "postgres").conninfo)
        let exists = try connection.execute(
            "select count(*) as found from pg_database where datname = \(EmbeddedCluster.database)")
        if try exists.single().int("found") == 0 {
            try connection.execute("create database \(identifier: EmbeddedCluster.database)")
        }
    }
}
