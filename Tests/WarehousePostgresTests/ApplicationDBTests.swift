import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// The committed `application.db` is what `make demo` builds from `data/sample_orders.csv`
/// at as-of 2023-12-10: rebuilt here and compared table by table, so it never goes stale.
@Suite(.blockingWork) struct ApplicationDBTests {
    /// Facts of the moment, not of the content.
    static let volatileInfoKeys: Set<String> = [
        "exported_at", "full_exported_at", "source", "source_database", "source_id", "last_batch_finished_at",
    ]

    func dump(_ path: String) throws -> [String: [String]] {
        let database = try SQLiteDatabase(path: path, mode: .readOnly)
        defer { try? database.close() }
        var tables: [String: [String]] = [:]
        let names = try database.rows(sql: "select name from sqlite_master where type = 'table' order by name").map { "\($0[0])" }
        for name in names {
            var rows = try database.rows(sql: "select * from \"\(name)\"").map { $0.map { "\($0)" }.joined(separator: "|") }
            if name == "export_info" {
                rows = rows.filter { !Self.volatileInfoKeys.contains(String($0.split(separator: "|").first ?? "")) }
            }
            tables[name] = rows.sorted()
        }
        tables["(schema)"] = try database.rows(sql: "select type || ' ' || name || ': ' || coalesce(sql, '') from sqlite_master order by type, name")
            .map { "\($0[0])" }
        return tables
    }

    @Test func committedApplicationDBMatchesAFreshBuild() throws {
        let committed = TestSupport.packageRoot.appendingPathComponent("application.db")
        try #require(FileManager.default.fileExists(atPath: committed.path), "application.db is missing: run `make demo` and commit it")

        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let connection = try database.connect()
        _ = try Ingestor(connection: connection).ingest(path: TestSupport.packageRoot.appendingPathComponent("data/sample_orders.csv").path)
        let rebuilt = FileManager.default.temporaryDirectory.appendingPathComponent("application-\(UUID().uuidString).db")
        defer { try? FileManager.default.removeItem(at: rebuilt) }
        _ = try SQLiteExporter(connection: connection, destination: rebuilt, asOf: "2023-12-10", sourceDescription: "test").run()

        let expected = try dump(rebuilt.path)
        let actual = try dump(committed.path)
        #expect(actual.keys.sorted() == expected.keys.sorted())
        for (table, rows) in expected {
            #expect(actual[table] == rows, "application.db table \(table) is stale: run `make demo` and commit application.db")
        }
        #expect(expected["fact_orders"]?.count == 1002)
    }
}
