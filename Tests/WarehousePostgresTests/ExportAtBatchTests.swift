import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// `export-sqlite --at-batch`: application.db as it stood right after an earlier load.
@Suite(.blockingWork) struct ExportAtBatchTests {
    func export(_ database: TestDatabase, atBatch: Int?, to directory: URL) throws -> SQLiteDatabase {
        var exporter = SQLiteExporter(connection: try database.connect(), destination: directory.appendingPathComponent("application.db"),
                                      asOf: "2023-12-10", sourceDescription: "test")
        exporter.atBatch = atBatch
        try exporter.run()
        return try SQLiteDatabase(path: directory.appendingPathComponent("application.db").path, mode: .readOnly)
    }

    func rows(_ database: SQLiteDatabase, _ sql: String) throws -> [String] {
        try database.rows(sql: sql).map { $0.map(\.description).joined(separator: "|") }
    }

    @Test func anEarlierBatchIsExportedAsItStood() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let header = IngestFixtures.header
        _ = try IngestFixtures.ingest(database, header + "Ann,1,10.00,2023-12-01,transfer,1\nBob,2,5.00,2023-12-09,lounge,2\nCid,3,7.00,2023-12-10,parking,1\n")
        // Day two: Ann's price changes, Bob's order is dropped, Dee is new.
        _ = try IngestFixtures.ingest(database, header + "Ann,1,12.00,2023-12-01,transfer,1\nCid,3,7.00,2023-12-10,parking,1\nDee,4,1.00,2023-12-10,parking,1\n") {
            $0.allowShrink = true
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("export-at-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let then = try export(database, atBatch: 1, to: directory)
        #expect(try rows(then, "select order_id, price_cents, inserted_batch_id, updated_batch_id from fact_orders order by order_id")
            == ["1|1000|1|1", "2|500|1|1", "3|700|1|1"])
        #expect(try rows(then, "select customer_name, total_orders, total_value_cents from total_orders_per_customer order by customer_name")
            == ["Ann|1|1000", "Bob|1|500", "Cid|1|700"])
        #expect(try rows(then, "select customer_name from dim_customers order by customer_key") == ["Ann", "Bob", "Cid"])
        #expect(try rows(then, "select rank, customer_name, total_value_cents from top_customers_last_week order by rank")
            == ["1|Cid|700", "2|Bob|500"])
        #expect(try rows(then, "select value from export_info where key = 'at_batch'") == ["1"])
        try then.close()

        let now = try export(database, atBatch: nil, to: directory)
        #expect(try rows(now, "select order_id, price_cents, inserted_batch_id, updated_batch_id from fact_orders order by order_id")
            == ["1|1200|1|2", "3|700|1|1", "4|100|2|2"])
        try now.close()

        #expect(throws: PostgresError.self) { _ = try export(database, atBatch: 9, to: directory) }
    }
}
