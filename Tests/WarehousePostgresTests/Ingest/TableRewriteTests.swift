import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// TableRewrite leaves a table holding exactly the rows it was given, writing only the rows that
/// differ; a row the server prints differently from the loader is rewritten, never lost or doubled,
/// and a table that holds the same row twice keeps it as often as the new rows list it.
@Suite(.blockingWork) struct TableRewriteTests {
    private let rewrite = TableRewrite(
        table: "public.leaders", columns: ["day", "customer", "total"],
        readExpressions: ["to_char(day, 'YYYY-MM-DD')", "customer", "total"])

    private func table(_ rows: [String]) throws -> (TestDatabase, PostgresConnection) {
        let database = try TestDatabase.fresh(migrated: false)
        let connection = try database.connect()
        try connection.execute("create table leaders (day date not null, customer integer not null, total numeric(20,2) not null, primary key (day, customer))")
        if !rows.isEmpty {
            try connection.copyIn("copy leaders (day, customer, total) from stdin") { try $0.write(rows.map { $0 + "\n" }.joined()) }
        }
        return (database, connection)
    }

    private func buffer(_ rows: [String]) -> ByteBuffer {
        let buffer = ByteBuffer()
        buffer.append(contentsOf: Array(rows.map { $0 + "\n" }.joined().utf8))
        return buffer
    }

    private func contents(_ connection: PostgresConnection) throws -> [String] {
        try connection.execute("select to_char(day, 'YYYY-MM-DD') || ' ' || customer || ' ' || total as row from leaders order by day, customer")
            .rows.map { try $0.string("row") }
    }

    private func keptTuples(_ connection: PostgresConnection) throws -> [String] {
        try connection.execute("select ctid::text as tuple from leaders where (day, customer) in (('2023-01-01', 1), ('2023-01-02', 1)) order by day")
            .rows.map { try $0.string("tuple") }
    }

    @Test func onlyTheRowsThatDifferAreWritten() throws {
        let (database, connection) = try table(["2023-01-01\t1\t10.00", "2023-01-01\t2\t9.50", "2023-01-02\t1\t3.00", "2023-01-03\t7\t1.25"])
        defer { try? database.drop() }
        let keptBefore = try keptTuples(connection)
        // Row 1 kept, row 2 changes its total, row 3 kept, row 4 gone, one new row.
        let outcome = try connection.transaction {
            try rewrite.replace(with: buffer(["2023-01-01\t1\t10.00", "2023-01-01\t2\t9.75", "2023-01-02\t1\t3.00", "2023-01-04\t5\t0.00"]),
                                on: connection)
        }
        #expect(outcome == TableRewrite.Outcome(kept: 2, deleted: 2, inserted: 2))
        #expect(try contents(connection) == ["2023-01-01 1 10.00", "2023-01-01 2 9.75", "2023-01-02 1 3.00", "2023-01-04 5 0.00"])
        // The kept rows are the same tuples: nothing rewrote them.
        #expect(try keptTuples(connection) == keptBefore)
    }

    @Test func anEmptyTableIsFilledAndAnEmptyListEmptiesIt() throws {
        let (database, connection) = try table([])
        defer { try? database.drop() }
        let filled = try connection.transaction {
            try rewrite.replace(with: buffer(["2023-01-01\t1\t10.00", "2023-01-02\t1\t2.00"]), on: connection)
        }
        #expect(filled == TableRewrite.Outcome(kept: 0, deleted: 0, inserted: 2))
        let emptied = try connection.transaction { try rewrite.replace(with: ByteBuffer(), on: connection) }
        #expect(emptied == TableRewrite.Outcome(kept: 0, deleted: 2, inserted: 0))
        #expect(try contents(connection).isEmpty)
    }

    @Test func rowsPrintedDifferentlyAreRewrittenNotDoubled() throws {
        let (database, connection) = try table(["2023-01-01\t1\t10.00", "2023-01-02\t2\t4.00"])
        defer { try? database.drop() }
        // The server prints the same values otherwise than the loader (three decimals, not two).
        let otherStyle = TableRewrite(table: "public.leaders", columns: ["day", "customer", "total"],
                                      readExpressions: ["to_char(day, 'YYYY-MM-DD')", "customer", "to_char(total, 'FM999990.000')"])
        let outcome = try connection.transaction {
            try otherStyle.replace(with: buffer(["2023-01-01\t1\t10.00", "2023-01-02\t2\t4.00", "2023-01-03\t3\t1.00"]), on: connection)
        }
        #expect(outcome == TableRewrite.Outcome(kept: 0, deleted: 2, inserted: 3))
        #expect(try contents(connection) == ["2023-01-01 1 10.00", "2023-01-02 2 4.00", "2023-01-03 3 1.00"])
    }

    @Test func repeatedRowsAreCountedOneByOne() throws {
        let database = try TestDatabase.fresh(migrated: false)
        defer { try? database.drop() }
        let connection = try database.connect()
        try connection.execute("create table leaders (day date not null, customer integer not null, total numeric(20,2) not null)")
        try connection.copyIn("copy leaders from stdin") { try $0.write("2023-01-01\t1\t1.00\n2023-01-01\t1\t1.00\n2023-01-01\t1\t1.00\n") }
        let outcome = try connection.transaction {
            try rewrite.replace(with: buffer(["2023-01-01\t1\t1.00", "2023-01-02\t2\t2.00"]), on: connection)
        }
        #expect(outcome == TableRewrite.Outcome(kept: 1, deleted: 2, inserted: 1))
        #expect(try contents(connection) == ["2023-01-01 1 1.00", "2023-01-02 2 2.00"])
    }

    @Test func aScopeLeavesTheRestOfTheTableAlone() throws {
        let (database, connection) = try table(["2023-01-01\t1\t10.00", "2023-01-01\t2\t9.50", "2023-01-02\t1\t3.00"])
        defer { try? database.drop() }
        var customerOne = rewrite
        customerOne.scope = "customer = 1"
        let outcome = try connection.transaction { try customerOne.replace(with: buffer(["2023-01-02\t1\t4.00"]), on: connection) }
        #expect(outcome == TableRewrite.Outcome(kept: 0, deleted: 2, inserted: 1))
        #expect(try contents(connection) == ["2023-01-01 2 9.50", "2023-01-02 1 4.00"])
    }

    @Test func twoRewritesInOneTransaction() throws {
        let (database, connection) = try table(["2023-01-01\t1\t10.00", "2023-01-02\t2\t4.00"])
        defer { try? database.drop() }
        try connection.transaction {
            try rewrite.replace(with: buffer(["2023-01-01\t1\t11.00"]), on: connection)
            try rewrite.replace(with: buffer(["2023-01-01\t1\t12.00", "2023-01-02\t2\t4.00"]), on: connection)
        }
        #expect(try contents(connection) == ["2023-01-01 1 12.00", "2023-01-02 2 4.00"])
    }
}
