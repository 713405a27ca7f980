import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// A quote that opens a field and never closes where it should must cost one line, not the
/// rest of the file: the line where it opened is rejected and reading resumes on the next one.
@Suite(.blockingWork) struct StrayQuoteTests {
    let header = IngestFixtures.header

    static func row(_ id: Int, name: String? = nil) -> String {
        "\(name ?? "Customer \(id % 97)"),\(id),\(id % 50).25,2023-11-\(10 + id % 19),transfer,\(1 + id % 3)"
    }

    /// The reported case: 50,000 rows, row 1005's name `"Stray`, row 49000's `Bob "The" Builder`.
    @Test func aStrayQuoteCostsOneLineNotTheRestOfTheFile() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let rows = (1...50_000).map { id -> String in
            switch id {
            case 1005: return Self.row(id, name: "\"Stray")
            case 49_000: return Self.row(id, name: "Bob \"The\" Builder")
            default: return Self.row(id)
            }
        }
        let summary = try IngestFixtures.ingest(database, header + rows.joined(separator: "\n") + "\n")
        #expect(summary.rowsRead == 50_000)
        #expect(summary.linesRead == 50_000)
        #expect(summary.inserted == 49_999)
        #expect(summary.rejected == 1)
        #expect(summary.rejectedLines == 1)
        #expect(summary.firstRejects.map(\.line) == [1006], "row 1005 is on line 1006, after the header")
        #expect(summary.firstRejects.first?.raw == Self.row(1005, name: "\"Stray"))
        #expect(summary.text.contains("50000 lines"))

        let connection = try database.connect()
        #expect(try IngestFixtures.count(connection, "warehouse.fact_orders") == 49_999)
        let bob = try connection.execute("""
            select c.customer_name from warehouse.fact_orders f join warehouse.dim_customers c using (customer_key) where f.order_id = 49000
            """).single().string("customer_name")
        #expect(bob == "Bob \"The\" Builder", "a quote inside an unquoted field is text")
        try IngestFixtures.expectReportsConsistent(connection)
    }

    @Test func aQuoteNeverClosedBeforeTheEndCostsItsLineOnly() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let rows = [Self.row(1), Self.row(2, name: "\"Open"), Self.row(3), Self.row(4)]
        let summary = try IngestFixtures.ingest(database, header + rows.joined(separator: "\n") + "\n") { $0.maxRejects = .count(1) }
        #expect((summary.rowsRead, summary.inserted, summary.rejected) == (4, 3, 1))
        #expect(summary.firstRejects.map(\.line) == [3])
        #expect(summary.firstRejects.first?.reason.contains("quote") == true)
    }

    @Test func aQuotedFieldMaySpanLinesWhenTheRecordIsValid() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let csv = header + Self.row(1) + "\n\"Ann\nLee\",2,3.00,2023-12-01,transfer,1\n" + Self.row(3) + "\n"
        let summary = try IngestFixtures.ingest(database, csv)
        #expect((summary.rowsRead, summary.linesRead, summary.inserted, summary.rejected) == (3, 4, 3, 0))
        let name = try database.connect().execute("""
            select c.customer_name from warehouse.fact_orders f join warehouse.dim_customers c using (customer_key) where f.order_id = 2
            """).single().string("customer_name")
        #expect(name == "Ann Lee", "inner whitespace, a line break included, collapses to one space")
    }

    @Test func aBrokenRecordAcrossLinesRejectsEachPhysicalLineOnItsOwn() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        // The quoted name spans two lines and the record's price is bad: its opening line is
        // rejected, then the second line is read as a record of its own (and rejected too).
        let csv = header + Self.row(1) + "\n\"Ann\nLee\",2,bad,2023-12-01,transfer,1\n" + Self.row(3) + "\n"
        let summary = try IngestFixtures.ingest(database, csv) { $0.maxRejects = .count(5) }
        #expect(summary.inserted == 2)
        #expect(summary.firstRejects.map(\.line) == [3, 4])
        #expect(summary.rejectedLines == 2)
        #expect(summary.linesRead == 4)
    }

    @Test func aQuotedFieldMaySpanAtMostTheBoundedNumberOfLines() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        // The stray quote is closed 300 lines later by a quoted field; the record would be valid
        // by field count, but a field may not span that far.
        var rows = (1...400).map { Self.row($0) }
        rows[9] = "\"Runaway,10,1.00,2023-11-10,transfer,1"
        rows[310] = "Zed\",311,1.00,2023-11-10,transfer,1"
        let summary = try IngestFixtures.ingest(database, header + rows.joined(separator: "\n") + "\n")
        #expect(summary.firstRejects.first?.line == 11)
        #expect(summary.firstRejects.first?.reason.contains("more than") == true)
        #expect(summary.inserted >= 398)
        #expect(summary.rejectedLines == summary.rejected)
    }

    @Test func rejectLimitsCountPhysicalLines() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        // 14 valid records of 8 lines each (a quoted name over 8 lines) and one bad one-line
        // record: 1 of 113 lines (under 5%), though 1 of 15 records (over 5%).
        var rows = (1...14).map { "\"First\n\n\n\n\n\n\nLast \($0)\",\($0),1.00,2023-11-10,transfer,1" }
        rows.append("Bad,15,not-a-price,2023-11-10,transfer,1")
        let summary = try IngestFixtures.ingest(database, header + rows.joined(separator: "\n") + "\n")
        #expect((summary.rowsRead, summary.linesRead, summary.inserted, summary.rejected) == (15, 113, 14, 1))
        #expect(summary.text.contains("113 lines"))
    }
}
