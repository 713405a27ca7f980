import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// The full export's receiving thread: rows arrive decoded and in order, its failures reach the
/// caller, and the connection is the caller's again, usable, however the reading ends.
@Suite("Export: rows received on a second thread", .blockingWork)
struct ExportBackgroundCopyTests {
    /// A table of one integer and one text column, filled by `source`.
    private func table(_ source: SQL) -> ExportTable {
        ExportTable(
            name: "numbers", create: "create table numbers (n integer primary key, label text)", indexes: [],
            source: source, columns: [.init("n", .integer), .init("label", .text)])
    }

    /// Reads every row of the statement at `position` back as (n, label).
    private func drain(_ reader: BackgroundCopy, _ position: Int) throws -> [(Int64, String)] {
        let database = try SQLiteDatabase(path: ":memory:")
        try database.execute(sql: "create table numbers (n integer, label text)")
        let insert = try database.makeStatement(sql: "insert into numbers values (?, ?)")
        while let batch = try reader.next(of: position) {
            for row in 0..<batch.rows.count {
                try batch.rows.bind(row: row, to: insert)
                try insert.step()
                try insert.reset()
            }
            reader.recycle(batch)
        }
        return try database.rows(sql: "select n, label from numbers order by rowid").map { row in
            guard case .integer(let n) = row[0], case .text(let label) = row[1] else { return (-1, "?") }
            return (n, label)
        }
    }

    @Test func rowsOfEveryStatementArriveInOrderAcrossBatches() throws {
        try ExportTestDatabase.with { database in
            // Enough rows for many batches, with text that needs COPY's escapes.
            let many = table("select g, 'row' || chr(9) || g from generate_series(1, 60000) as g order by g")
            let few = table("select g, 'few\\' || g from generate_series(1, 3) as g order by g")
            let reader = BackgroundCopy(connection: database.connection, statements: [
                .init(copy: many.source, table: many, maximumQueued: 2),
                .init(copy: few.source, table: few, maximumQueued: .max),
            ])
            defer { reader.finish() }
            let first = try drain(reader, 0)
            #expect(first.count == 60000)
            #expect(first.enumerated().allSatisfy { $0.element.0 == Int64($0.offset + 1) })
            #expect(first[41].1 == "row\t42")
            #expect(try drain(reader, 1).map(\.1) == ["few\\1", "few\\2", "few\\3"])
        }
    }

    @Test func aValueThatDoesNotParseFailsTheReadWithItsRowNumber() throws {
        try ExportTestDatabase.with { database in
            let bad = table("select n, 'x' from (values ('1'), ('2'), ('three')) as v(n)")
            let reader = BackgroundCopy(connection: database.connection, statements: [
                .init(copy: bad.source, table: bad, maximumQueued: 4),
            ])
            do {
                _ = try drain(reader, 0)
                Issue.record("the read should have failed")
            } catch let error as ExportError {
                #expect(error.description.contains("numbers row 3"))
                #expect(error.description.contains("not a 64-bit integer"))
            }
            reader.finish()
            #expect(try database.connection.execute("select 1").single()[0] == "1")
        }
    }

    @Test func finishingEarlyStopsTheCopyAndReturnsTheConnection() throws {
        try ExportTestDatabase.with { database in
            // Far more rows than the two queued batches: the thread is waiting when finish() comes.
            let huge = table("select g, 'row' from generate_series(1, 5000000) as g")
            let reader = BackgroundCopy(connection: database.connection, statements: [
                .init(copy: huge.source, table: huge, maximumQueued: 2),
            ])
            let batch = try #require(try reader.next(of: 0))
            #expect(batch.rows.count > 0)
            reader.finish()
            #expect(try database.connection.execute("select 1").single()[0] == "1")
        }
    }
}
