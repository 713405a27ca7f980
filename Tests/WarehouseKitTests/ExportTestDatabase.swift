import Foundation
@testable import WarehouseKit

/// A fresh, migrated PostgreSQL database for one export test, dropped when the test ends.
///
/// It lives on the server `DATABASE_URL` names, else the shared dev server. A stop-gap until the
/// shared harness in Tests/Support lands; kept private to the export tests by its name.
struct ExportTestDatabase {
    static let defaultServerURL = "postgresql:///postgres?host=/tmp/devpg&user=postgres"

    let name: String
    /// A conninfo for this database (the server's, with the database name replaced).
    let url: String
    let connection: PostgresConnection

    /// Creates the database, migrates it, runs `body`, and drops it whether `body` throws or not.
    static func with<R>(_ body: (ExportTestDatabase) throws -> R) throws -> R {
        let serverURL = ProcessInfo.processInfo.environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? defaultServerURL
        let admin = try PostgresConnection(conninfo: serverURL)
        let name = "wh_export_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        try admin.execute("create database \(identifier: name)")
        // FORCE ends the test's own sessions, which may still be open when this runs.
        defer { _ = try? admin.execute("drop database if exists \(identifier: name) with (force)") }
        let url = replacingDatabase(in: serverURL, with: name)
        let connection = try PostgresConnection(conninfo: url)
        try Migrator(connection: connection).migrate()
        return try body(ExportTestDatabase(name: name, url: url, connection: connection))
    }

    /// A second session on the same database, for concurrent writers.
    func connect() throws -> PostgresConnection { try PostgresConnection(conninfo: url) }

    /// Points a URL (`postgresql://…/db?…`) or a `key=value` conninfo at database `name`.
    static func replacingDatabase(in conninfo: String, with name: String) -> String {
        if conninfo.hasPrefix("postgres://") || conninfo.hasPrefix("postgresql://"),
           var components = URLComponents(string: conninfo) {
            components.path = "/" + name
            if let string = components.string { return string }
        }
        // In a conninfo string the last occurrence of a keyword wins.
        return conninfo + " dbname=" + name
    }
}

/// A directory of its own for a test's SQLite files, removed afterwards.
func withTemporaryDirectory<R>(_ body: (URL) throws -> R) throws -> R {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("wh-export-test-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}
