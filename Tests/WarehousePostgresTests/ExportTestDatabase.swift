import Foundation
@testable import WarehouseKit
import WarehouseTestSupport

/// A fresh, migrated database for one export test (from the suite's shared harness), with one
/// open session, dropped when the test ends.
struct ExportTestDatabase {
    let name: String
    let url: String
    let connection: PostgresConnection

    /// Creates the database, runs `body`, and drops it whether `body` throws or not.
    static func with<R>(_ body: (ExportTestDatabase) throws -> R) throws -> R {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        return try body(ExportTestDatabase(name: database.name, url: database.url, connection: try database.connect()))
    }

    /// A second session on the same database, for concurrent writers.
    func connect() throws -> PostgresConnection { try PostgresConnection(conninfo: url) }
}

/// A directory of its own for a test's SQLite files, removed afterwards.
func withTemporaryDirectory<R>(_ body: (URL) throws -> R) throws -> R {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("wh-export-test-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}
