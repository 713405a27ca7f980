public import Foundation
// ProcessRunner, not Foundation's Process, which would wait for the postmaster that
// `pg_ctl start` leaves running.
public import WarehouseKit

/// A PostgreSQL server of the test's own, set up the way an operator's server is rather than the
/// way the embedded cluster is: `initdb`'s defaults, TCP on 127.0.0.1 at a free port, and
/// roles the test creates. Thrown away on ``stop()`` or deinit.
///
/// As root (CI runs as root, and PostgreSQL refuses to), the server programs run as the
/// `postgres` account, which then owns the folder.
public final class StockPostgres: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// The TCP port on 127.0.0.1.
    public private(set) var port: Int
    /// The folder holding data, socket and log.
    public let root: URL
    let data: URL
    let socketFolder: URL
    let binaries: PostgresBinaries
    private let stopped = Locked(false)

    private init(root: URL, data: URL, binaries: PostgresBinaries) {
        self.root = root
        self.data = data
        self.socketFolder = root.appendingPathComponent("run", isDirectory: true)
        self.binaries = binaries
        self.port = 0
    }

    deinit { stop() }

    /// Creates (initdb) and starts a server.
    /// - Parameter hostAuthentication: the method for TCP connections (`trust`, `scram-sha-256`);
    ///   the unix socket, which only the test's superuser connection uses, trusts.
    public static func start(hostAuthentication: String = "trust") throws -> StockPostgres {
        let server = try prepared()
        try server.runServerProgram(server.binaries.initdb, [
            "-D", server.data.path, "-U", "postgres", "--no-sync", "--no-instructions",
            "--encoding=UTF8", "--locale=C.UTF-8",
            "--auth-local=trust", "--auth-host=\(hostAuthentication)",
        ])
        try server.startServer()
        return server
    }

    /// A hot standby of `primary`: a base backup taken over the replication protocol with
    /// `pg_basebackup -R` (which writes `standby.signal` and `primary_conninfo`), started on
    /// a port of its own. `primary` must let `postgres` connect over TCP without a password.
    public static func standby(of primary: StockPostgres) throws -> StockPostgres {
        let server = try prepared()
        let basebackup = primary.binaries.directory.appendingPathComponent("pg_basebackup")
        try server.runServerProgram(basebackup, [
            "-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres",
            "-D", server.data.path, "-R", "-X", "stream", "--checkpoint=fast", "--no-sync",
        ])
        try server.startServer()
        return server
    }

    private static func prepared() throws -> StockPostgres {
        let binaries = try PostgresBinaries.locate(environment: ProcessInfo.processInfo.environment)
        let root = try TestSupport.temporaryDirectory("warehouse-stock-pg")
        let server = StockPostgres(root: root, data: root.appendingPathComponent("data", isDirectory: true), binaries: binaries)
        try FileManager.default.createDirectory(at: server.socketFolder, withIntermediateDirectories: true)
        if geteuid() == 0 {
            try run("/usr/bin/env", ["chown", "-R", "postgres:postgres", root.path])
        }
        return server
    }

    /// Starts on a free port; another process may take the port between choosing and binding,
    /// so a failed start is tried again on another.
    private func startServer() throws {
        var lastError: (any Error)?
        for _ in 0..<3 {
            port = try Self.freePort()
            do {
                try runServerProgram(binaries.pgCtl, [
                    "-D", data.path, "-w", "-t", "60", "-l", root.appendingPathComponent("server.log").path,
                    "-o", "-p \(port) -k \(socketFolder.path) -c listen_addresses=127.0.0.1 -c fsync=off", "start",
                ])
                return
            } catch {
                lastError = error
            }
        }
        throw lastError ?? Failure(description: "pg_ctl start failed")
    }

    /// Stops the server (immediately: its data is thrown away) and removes its folder. Later calls do nothing.
    public func stop() {
        let already = stopped.withLock { value -> Bool in
            defer { value = true }
            return value
        }
        guard !already else { return }
        if FileManager.default.fileExists(atPath: data.appendingPathComponent("postmaster.pid").path) {
            try? runServerProgram(binaries.pgCtl, ["-D", data.path, "-m", "immediate", "-w", "stop"])
        }
        try? FileManager.default.removeItem(at: root)
    }

    /// The superuser's conninfo over the unix socket.
    public var adminConninfo: String {
        "host=\(socketFolder.path) port=\(port) user=postgres dbname=postgres"
    }

    /// A new superuser connection, for setting up roles and databases.
    public func connectAdmin(database: String = "postgres") throws -> PostgresConnection {
        try PostgresConnection(conninfo: "host=\(socketFolder.path) port=\(port) user=postgres dbname=\(database)")
    }

    /// Creates a login role that is not a superuser, may not create databases or roles, and owns
    /// database `database`: what a DBA hands an application.
    public func createOwner(role: String, database: String, password: String? = nil) throws {
        let admin = try connectAdmin()
        // CREATE ROLE takes no bind parameters: the server quotes the values itself.
        let statement = try admin.execute("""
            select format('create role %I login nosuperuser nocreatedb nocreaterole password %L', \(role)::text, \(password)::text) as sql
            """).single().string("sql")
        try admin.execute(SQL(unsafeRaw: statement))
        try admin.execute("create database \(identifier: database) owner \(identifier: role)")
    }

    /// A `postgresql://` URL to 127.0.0.1 at this server's port.
    public func url(user: String, database: String, password: String? = nil) -> String {
        let encodedPassword = password.map { ":" + Self.percentEncoded($0) } ?? ""
        return "postgresql://\(Self.percentEncoded(user))\(encodedPassword)@127.0.0.1:\(port)/\(Self.percentEncoded(database))"
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters.
    public static func percentEncoded(_ text: String) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private func runServerProgram(_ program: URL, _ arguments: [String]) throws {
        let runner = ProcessRunner(environment: ProcessInfo.processInfo.environment)
        let outcome = geteuid() == 0
            ? try runner.run(URL(fileURLWithPath: "/usr/sbin/runuser"), ["-u", "postgres", "--", program.path] + arguments)
            : try runner.run(program, arguments)
        guard outcome.succeeded else {
            throw Failure(description: "\(program.lastPathComponent) \(arguments.joined(separator: " ")) exited with \(outcome.status): \(outcome.output)")
        }
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let output = try ProcessOutput.run(executable, arguments)
        guard output.status == 0 else {
            throw Failure(description: "\(arguments.joined(separator: " ")) exited with \(output.status): \(output.standardError)\(output.standardOutput)")
        }
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it).
    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw Failure(description: "bind() failed: errno \(errno)") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw Failure(description: "getsockname() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
