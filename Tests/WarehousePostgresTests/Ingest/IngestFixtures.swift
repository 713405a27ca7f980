import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// Small helpers for ingest tests: CSV text to a temp file, and reads of the warehouse.
enum IngestFixtures {
    static let header = "customer_name,order_id,price,order_date,product_id,passenger_count\n"

    static func file(_ text: String, name: String = "orders.csv") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// `plain` compressed with gzip beside it as orders.csv.gz; `keepBytes` cuts the result short.
    static func gzip(_ plain: URL, keepBytes: Int? = nil) throws -> URL {
        let gzip = plain.deletingLastPathComponent().appendingPathComponent("orders.csv.gz")
        let compress = Process()
        compress.executableURL = URL(fileURLWithPath: "/bin/sh")
        let cut = keepBytes.map { " | head -c \($0)" } ?? ""
        compress.arguments = ["-c", "gzip -c \"$0\"\(cut) > \"$1\"", plain.path, gzip.path]
        try compress.run()
        compress.waitUntilExit()
        #expect(compress.terminationStatus == 0)
        return gzip
    }

    static func ingest(_ database: TestDatabase, _ text: String, configure: (inout IngestOptions) -> Void = { _ in }) throws -> IngestSummary {
        var options = IngestOptions()
        configure(&options)
        let connection = try database.connect()
        return try Ingestor(connection: connection, options: options).ingest(path: try file(text).path)
    }

    /// The facts as "id|customer|product|date|price|passengers", ordered by id.
    static func facts(_ connection: PostgresConnection) throws -> [String] {
        try connection.execute("""
            select f.order_id || '|' || c.customer_name || '|' || p.product_id || '|' || f.order_date || '|' || f.price || '|' || f.passenger_count as row
            from warehouse.fact_orders f
            join warehouse.dim_customers c using (customer_key)
            join warehouse.dim_products p using (product_key)
            order by f.order_id
            """).rows.map { try $0.string("row") }
    }

    static func count(_ connection: PostgresConnection, _ table: String) throws -> Int {
        try connection.execute(SQL(unsafeRaw: "select count(*) as n from \(table)")).single().int("n")
    }

    /// The report tables must equal a from-scratch computation over the facts.
    static func expectReportsConsistent(_ connection: PostgresConnection, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try TestSupport.reportDrift(connection) == 0, "report tables differ from the facts", sourceLocation: sourceLocation)
    }
}
