import Foundation
public import WarehouseKit

/// TEMPORARY minimal stand-in for the shared harness being written on another branch (same
/// API); replaced when that one is merged. A uniquely named database on the server of
/// DATABASE_URL (default: the dev server's socket in /tmp/devpg), migrated, dropped by `drop()`.
public final class TestDatabase: @unchecked Sendable {
    public let conninfo: String
    private let name: String
    private let serverConninfo: String

    private init(name: String, serverConninfo: String) {
        self.name = name
        self.serverConninfo = serverConninfo
        if serverConninfo.hasPrefix("postgres://") || serverConninfo.hasPrefix("postgresql://") {
            // A URI's query parameters override its path, so this names the new database.
            conninfo = serverConninfo + (serverConninfo.contains("?") ? "&" : "?") + "dbname=" + name
        } else {
            conninfo = serverConninfo + " dbname=" + name
        }
    }

    public static func fresh(migrated: Bool = true) throws -> TestDatabase {
        let server = ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "postgresql:///postgres?host=/tmp/devpg&user=postgres"
        let name = "warehouse_test_\(getpid())_\(UUID().uuidString.prefix(8).lowercased())"
        try PostgresConnection(conninfo: server).execute("create database \(identifier: name)")
        let database = TestDatabase(name: name, serverConninfo: server)
        if migrated { _ = try Migrator(connection: database.connect()).migrate() }
        return database
    }

    public func connect() throws -> PostgresConnection { try PostgresConnection(conninfo: conninfo) }

    public func drop() {
        _ = try? PostgresConnection(conninfo: serverConninfo).execute("drop database if exists \(identifier: name) with (force)")
    }
}
