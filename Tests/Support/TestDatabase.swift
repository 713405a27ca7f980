// TEMPORARY minimal stand-in for the shared harness (being written on another branch with this
// exact API); replace this file with that one when it is merged.
public import WarehouseKit
import Foundation

/// A uniquely named database on the server in DATABASE_URL (default: the dev server's socket
/// in /tmp/devpg), migrated unless asked otherwise. Call ``drop()`` when done.
public final class TestDatabase: @unchecked Sendable {
    public let conninfo: String
    let name: String
    let serverURL: String

    init(name: String, conninfo: String, serverURL: String) {
        self.name = name
        self.conninfo = conninfo
        self.serverURL = serverURL
    }

    public static func fresh(migrated: Bool = true) throws -> TestDatabase {
        let environment = ProcessInfo.processInfo.environment
        let serverURL = environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "postgresql:///postgres?host=/tmp/devpg&user=postgres"
        let name = "warehouse_test_\(getpid())_\(UUID().uuidString.prefix(8).lowercased())"
        try PostgresConnection(conninfo: serverURL).execute("create database \(identifier: name)")
        let database = TestDatabase(name: name, conninfo: try conninfo(serverURL, database: name), serverURL: serverURL)
        if migrated { try Migrator(connection: try database.connect()).migrate() }
        return database
    }

    public func connect() throws -> PostgresConnection { try PostgresConnection(conninfo: conninfo) }

    public func drop() {
        do {
            try PostgresConnection(conninfo: serverURL).execute("drop database if exists \(identifier: name) with (force)")
        } catch {
            // Not fatal to the test, but a leftover database should be visible.
            FileHandle.standardError.write(Data("TestDatabase: could not drop \(name): \(error)\n".utf8))
        }
    }

    /// The same server, another database: a URL's path is replaced; a key=value string gets a
    /// trailing `dbname=`, which libpq lets override an earlier one.
    static func conninfo(_ server: String, database: String) throws -> String {
        guard server.hasPrefix("postgres://") || server.hasPrefix("postgresql://") else {
            return server + " dbname=\(database)"
        }
        guard var components = URLComponents(string: server) else {
            throw PostgresError(.connection, message: "DATABASE_URL is not a valid URL")
        }
        components.path = "/" + database
        guard let url = components.string else { throw PostgresError(.connection, message: "cannot build a test database URL") }
        return url
    }
}
