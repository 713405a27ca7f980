import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The operating-system account the PostgreSQL server runs as.
///
/// PostgreSQL refuses to run as root (a compromised server would own the machine), so when
/// `warehouse` runs as root, `initdb` and `pg_ctl` run as an unprivileged account instead:
/// `WAREHOUSE_PG_USER`, else `postgres` when it exists, else `nobody`. Otherwise the server
/// runs as the caller and nothing is switched.
struct ServerAccount: Sendable, Equatable {
    let name: String
    let uid: uid_t
    let gid: gid_t
    /// True when we are root and every server program must be started as this account.
    let switchesUser: Bool

    static var isRoot: Bool { geteuid() == 0 }

    /// The caller itself (not root).
    static func current() -> ServerAccount {
        let uid = geteuid()
        let name = lookup(uid: uid)?.name ?? String(uid)
        return ServerAccount(name: name, uid: uid, gid: getegid(), switchesUser: false)
    }

    /// The account to run as under root, for a cluster whose data folder may already exist.
    ///
    /// An existing data folder decides: the server must run as the account that owns it.
    /// - Throws: ``EmbeddedClusterError`` `.serverUser` when no usable account exists, or when
    ///   `WAREHOUSE_PG_USER` names another account than the one owning the data.
    static func forRoot(environment: [String: String], existingData: URL?) throws -> ServerAccount {
        let requested = environment["WAREHOUSE_PG_USER"].flatMap { $0.isEmpty ? nil : $0 }
        if let existingData, let owner = owner(of: existingData) {
            let account = lookup(uid: owner.uid)
                .map { ServerAccount(name: $0.name, uid: $0.uid, gid: $0.gid, switchesUser: true) }
                ?? ServerAccount(name: String(owner.uid), uid: owner.uid, gid: owner.gid, switchesUser: true)
            if let requested, requested != account.name {
                throw EmbeddedClusterError(.serverUser, """
                    the embedded cluster in \(existingData.path) belongs to \(account.name), \
                    but WAREHOUSE_PG_USER=\(requested): unset it, or chown -R \(requested) that folder
                    """)
            }
            return account
        }
        let name = requested ?? (lookup(name: "postgres") != nil ? "postgres" : "nobody")
        guard let entry = lookup(name: name) else {
            throw EmbeddedClusterError(.serverUser, """
                running as root, the embedded PostgreSQL must run as an unprivileged user, but user "\(name)" \
                does not exist: create it (useradd --system postgres) or set WAREHOUSE_PG_USER
                """)
        }
        guard entry.uid != 0 else {
            throw EmbeddedClusterError(.serverUser, "WAREHOUSE_PG_USER must not be root: PostgreSQL refuses to run as root")
        }
        return ServerAccount(name: name, uid: entry.uid, gid: entry.gid, switchesUser: true)
    }

    /// The program and arguments that run `tool` as this account.
    ///
    /// `setpriv` (util-linux) only switches ids — no PAM session, no environment rewrite — so
    /// it is preferred; `runuser` is the fallback.
    func command(_ tool: URL, _ arguments: [String]) throws -> (URL, [String]) {
        guard switchesUser else { return (tool, arguments) }
        if let setpriv = Self.findTool("setpriv") {
            // --init-groups needs a passwd entry; a bare uid (data owned by a deleted user) gets none.
            let groups = Self.lookup(uid: uid) != nil ? "--init-groups" : "--clear-groups"
            return (setpriv, ["--reuid=\(uid)", "--regid=\(gid)", groups, "--", tool.path] + arguments)
        }
        if let runuser = Self.findTool("runuser") {
            return (runuser, ["-u", name, "--", tool.path] + arguments)
        }
        throw EmbeddedClusterError(.serverUser, """
            running as root, the embedded PostgreSQL must run as user \(name), but neither setpriv nor runuser \
            (util-linux) is installed: install util-linux, or run warehouse as an ordinary user
            """)
    }

    /// Whether this account may enter `directory` (every folder above it included).
    func canTraverse(_ directory: URL, runner: ProcessRunner) -> Bool {
        guard switchesUser else { return true }
        // Asking the account itself is exact: ACLs, groups and all.
        guard let (program, arguments) = try? command(URL(fileURLWithPath: "/bin/sh"), ["-c", "cd \"$1\"", "sh", directory.path]),
              let outcome = try? runner.run(program, arguments)
        else { return false }
        return outcome.succeeded
    }

    /// Gives `url` to this account (a no-op unless we switch users).
    func adopt(_ url: URL) throws {
        guard switchesUser else { return }
        guard chown(url.path, uid, gid) == 0 else {
            throw EmbeddedClusterError(.commandFailed, "could not chown \(url.path) to \(name): \(String(cString: strerror(errno)))")
        }
    }

    static func owner(of url: URL) -> (uid: uid_t, gid: gid_t)? {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        return (info.st_uid, info.st_gid)
    }

    static func findTool(_ name: String) -> URL? {
        ["/usr/bin", "/bin", "/usr/sbin", "/sbin"].map { URL(fileURLWithPath: $0).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// getpwnam_r / getpwuid_r: the non-reentrant forms share a static buffer across threads.
    static func lookup(name: String) -> (name: String, uid: uid_t, gid: gid_t)? {
        withPasswd { entry, buffer, size, result in getpwnam_r(name, &entry, buffer, size, &result) }
    }

    static func lookup(uid: uid_t) -> (name: String, uid: uid_t, gid: gid_t)? {
        withPasswd { entry, buffer, size, result in getpwuid_r(uid, &entry, buffer, size, &result) }
    }

    private static func withPasswd(
        _ call: (inout passwd, UnsafeMutablePointer<CChar>, Int, inout UnsafeMutablePointer<passwd>?) -> Int32
    ) -> (name: String, uid: uid_t, gid: gid_t)? {
        var buffer = [CChar](repeating: 0, count: 16_384)
        return buffer.withUnsafeMutableBufferPointer { storage in
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            // The strings in `entry` point into `storage`: read them before it goes away.
            guard call(&entry, storage.baseAddress!, storage.count, &result) == 0, result != nil,
                  let namePointer = entry.pw_name
            else { return nil }
            return (String(cString: namePointer), entry.pw_uid, entry.pw_gid)
        }
    }
}
