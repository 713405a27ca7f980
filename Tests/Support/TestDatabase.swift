import Foundation
public import WarehouseKit

/// A database of its own for one test: created empty or migrated, dropped on ``drop()`` or deinit.
///
/// Migrated databases are copies (`CREATE DATABASE … TEMPLATE`) of a template migrated once
/// per set of migrations, which takes milliseconds instead of running every migration again.
public final class TestDatabase: Sendable {
    public let name: String
    public let parameters: ConnectionParameters
    private let server: TestServer
    private let dropped = Locked(false)

    /// libpq `key=value` form.
    public var conninfo: String { parameters.conninfo }
    /// URL form, for `--database-url` (holds the password, if DATABASE_URL had one).
    public var url: String { parameters.url }

    init(name: String, server: TestServer) {
        self.name = name
        self.server = server
        self.parameters = server.parameters(database: name)
    }

    deinit { try? drop() }

    /// - Parameter migrated: copy the migrated template (default) or start from an empty database.
    /// - Throws: ``PostgresError`` or ``EmbeddedClusterError`` when the server cannot be reached.
    public static func fresh(migrated: Bool = true) throws -> TestDatabase {
        let server = try TestServer.shared()
        let template = migrated ? try TestTemplate.name(on: server) : "template0"
        let database = TestDatabase(name: TestSupport.uniqueName("wh_test"), server: server)
        let admin = try server.connectAdmin()
        try TestTemplate.retryWhileInUse {
            try admin.execute("create database \(identifier: database.name) template \(identifier: template)")
        }
        return database
    }

    public func connect() throws -> PostgresConnection { try PostgresConnection(conninfo: conninfo) }

    /// Drops the database, ending any session still connected to it. Later calls do nothing.
    public func drop() throws {
        let alreadyDropped = dropped.withLock { value -> Bool in
            defer { value = true }
            return value
        }
        guard !alreadyDropped else { return }
        try server.connectAdmin().execute("drop database if exists \(identifier: name) with (force)")
    }
}
