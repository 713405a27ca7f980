public import Foundation
public import WarehouseKit

/// The PostgreSQL server the whole test process shares, started on first use.
///
/// `DATABASE_URL` when set: tests create (and drop) their own databases on that server, so
/// it needs a role allowed to CREATE DATABASE. Otherwise an embedded cluster in
/// `<package>/.build/test-cluster` (or `WAREHOUSE_TEST_HOME`): made once, then reused by
/// every later test run, and left running for the next one (`make test-cluster-stop`).
public final class TestServer: Sendable {
    /// Connection parameters of the server's maintenance database (`postgres`).
    public let admin: ConnectionParameters
    /// Where the server is, for messages (no password).
    public let description: String

    init(admin: ConnectionParameters, description: String) {
        self.admin = admin
        self.description = description
    }

    /// The shared server; the first caller starts it, the others wait for it.
    /// - Throws: whatever starting or reaching it threw (and again for every later caller).
    public static func shared() throws -> TestServer {
        try instance.withLock { state in
            if let state { return try state.get() }
            let result = Result { try start() }
            state = result
            return try result.get()
        }
    }

    private static let instance = Locked<Result<TestServer, any Error>?>(nil)

    /// The embedded test cluster's home folder.
    public static var embeddedHome: URL {
        if let home = ProcessInfo.processInfo.environment["WAREHOUSE_TEST_HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home, isDirectory: true)
        }
        return TestSupport.packageRoot.appendingPathComponent(".build/test-cluster", isDirectory: true)
    }

    /// Test data is thrown away, so durability is traded for speed here (and only here).
    public static let embeddedSettings = [
        "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
        "shared_buffers": "128MB", "max_connections": "300",
    ]

    private static func start() throws -> TestServer {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            let parameters = try ConnectionParameters(parsing: url)
            _ = try PostgresConnection(conninfo: parameters.conninfo)
            return TestServer(admin: parameters, description: ConnectionString.redact(url) + " (DATABASE_URL)")
        }
        let cluster = EmbeddedCluster(home: embeddedHome, environment: environment, settings: embeddedSettings)
        _ = try cluster.startIfNeeded()
        let parameters = try cluster.connectionParameters(database: "postgres")
        return TestServer(admin: parameters, description: "embedded test cluster in \(embeddedHome.path)")
    }

    /// The same server, another database.
    public func parameters(database: String) -> ConnectionParameters { admin.with(database: database) }

    /// A new connection to the maintenance database.
    public func connectAdmin() throws -> PostgresConnection { try PostgresConnection(conninfo: admin.conninfo) }
}
