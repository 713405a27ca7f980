import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// Every input rule's reject carries its own stable code, in `ops.rejected_rows.code` and in
/// the summary's rejects; rows stored before codes existed get the same codes from migration
/// 0009's backfill.
@Suite(.blockingWork) struct RejectCodeTests {
    /// One bad row per rule (customer_name,order_id,price,order_date,product_id,passenger_count)
    /// and the code a person reading docs/input.md expects for it.
    static let cases: [(row: String, code: String)] = [
        ("Ann,,1.00,2023-12-01,lounge,1", "order_id_empty"),
        ("Ann,ORD-1,1.00,2023-12-01,lounge,1", "order_id_not_integer"),
        ("Ann,0,1.00,2023-12-01,lounge,1", "order_id_not_positive"),
        ("Ann,99999999999999999999,1.00,2023-12-01,lounge,1", "order_id_too_large"),
        (" ,3,1.00,2023-12-01,lounge,1", "customer_name_empty"),
        (String(repeating: "n", count: 600) + ",4,1.00,2023-12-01,lounge,1", "customer_name_too_long"),
        ("Ann,5,,2023-12-01,lounge,1", "price_empty"),
        ("Ann,6,$1.00,2023-12-01,lounge,1", "price_not_decimal"),
        ("Ann,7,-1.00,2023-12-01,lounge,1", "price_negative"),
        ("Ann,8,1.005,2023-12-01,lounge,1", "price_too_many_decimals"),
        ("Ann,9,99999999999999999999.00,2023-12-01,lounge,1", "price_too_large"),
        ("Ann,10,1.00,,lounge,1", "order_date_empty"),
        ("Ann,11,1.00,12/01/2023,lounge,1", "order_date_not_date"),
        ("Ann,12,1.00,2023-02-30,lounge,1", "order_date_not_real"),
        ("Ann,13,1.00,0999-12-01,lounge,1", "order_date_year_out_of_range"),
        ("Ann,14,1.00,2023-12-01,,1", "product_id_empty"),
        ("Ann,15,1.00,2023-12-01," + String(repeating: "p", count: 300) + ",1", "product_id_too_long"),
        ("Ann,16,1.00,2023-12-01,lou<nge>,1", "product_id_bad_characters"),
        ("Ann,17,1.00,2023-12-01,lounge,", "passenger_count_empty"),
        ("Ann,18,1.00,2023-12-01,lounge,two", "passenger_count_not_integer"),
        ("Ann,19,1.00,2023-12-01,lounge,0", "passenger_count_not_positive"),
        ("Ann,20,1.00,2023-12-01,lounge,99999999999", "passenger_count_too_large"),
        ("Ann,21,1.00,2023-12-01,lounge", "wrong_field_count"),
        ("Ann,22,1.00,2023-12-01,\"lounge\"x,1", "text_after_quote"),
        ("Ann,30,1.00,2023-12-01,lounge,1", "duplicate_order_id"),
        ("Bob,30,1.00,2023-12-01,lounge,1", "duplicate_order_id"),
    ]

    @Test func everyRuleStoresItsCode() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let good = (100..<200).map { "Ann,\($0),1.00,2023-12-01,lounge,1\n" }.joined()
        let csv = IngestFixtures.header + Self.cases.map { $0.row + "\n" }.joined() + good
        let summary = try IngestFixtures.ingest(database, csv) { $0.maxRejects = .count(100) }
        #expect(summary.rejected == Self.cases.count)
        let stored = try database.connect().execute("select line_number, code from ops.rejected_rows order by line_number").rows
            .map { (try $0.int("line_number"), try $0.string("code")) }
        // Line 1 is the header: case i is on line i + 2.
        #expect(stored.map(\.0) == Self.cases.indices.map { $0 + 2 })
        for ((line, code), expected) in zip(stored, Self.cases) {
            #expect(code == expected.code, "line \(line): \(expected.row.prefix(60))")
        }
        #expect(summary.firstRejects.prefix(3).map(\.code.rawValue) == Self.cases.prefix(3).map(\.code))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try summary.jsonText().utf8)) as? [String: Any])
        let first = try #require((json["first_rejects"] ?? json["rejects"]) as? [[String: Any]], "\(json.keys)")
        #expect(first.first?["code"] as? String == "order_id_empty")
    }

    @Test func aStrayQuoteHasItsOwnCode() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let csv = IngestFixtures.header + "\"Ann,1,1.00,2023-12-01,lounge,1\nBob,2,1.00,2023-12-01,lounge,1\nCy,3,1.00,2023-12-01,lounge,1\n"
        _ = try IngestFixtures.ingest(database, csv) { $0.maxRejects = .count(5) }
        let codes = try database.connect().execute("select code from ops.rejected_rows").rows.map { try $0.string("code") }
        #expect(codes == ["stray_quote"])
    }

    /// Rows written before the code column existed get their code from the migration.
    @Test func theMigrationBackfillsTheSameCodes() throws {
        let database = try TestDatabase.fresh(migrated: false)
        defer { try? database.drop() }
        let connection = try database.connect()
        let all = try Migration.embedded()
        let codesMigration = try #require(all.first { $0.name == "reject_codes" })
        try Migrator(connection: connection, migrations: all.filter { $0.version < codesMigration.version }).migrate()
        let reasons = [
            "order_id is not an integer: \"ORD-1\"", "order_date is not a real calendar date: 2023-02-30",
            "price has more than 2 decimals: 1.005", "expected 6 fields, found 5",
            "order_id 30 appears on lines 2, 3 with different values",
            "expected 6 fields, found 9 (a quoted field opened on this line ran across line breaks; only this line is rejected and reading resumes on the next)",
            "updated_at 2030-01-01T00:00:00Z (page 1, order 2) is more than 1 h after the pull started (2023-12-01T00:00:00Z)",
            "something no rule says",
        ]
        let expected = ["order_id_not_integer", "order_date_not_real", "price_too_many_decimals", "wrong_field_count",
                        "duplicate_order_id", "stray_quote", "updated_at_in_future", "other"]
        let batch = try connection.execute("""
            insert into ops.load_batches (source, source_kind, status, finished_at, tool_version)
            values ('old.csv', 'file', 'failed', now(), 'test') returning batch_id
            """).single().int("batch_id")
        for (index, reason) in reasons.enumerated() {
            try connection.execute("""
                insert into ops.rejected_rows (batch_id, line_number, column_name, reason, raw_record)
                values (\(batch), \(index + 2), null, \(reason), 'raw')
                """)
        }
        try Migrator(connection: connection).migrate()
        let codes = try connection.execute("select code from ops.rejected_rows order by line_number").rows.map { try $0.string("code") }
        #expect(codes == expected)
        #expect(reasons.map { RejectCode(reason: $0).rawValue } == expected)
    }
}
