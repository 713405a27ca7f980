import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// The sqlite3 wrapper on its own, in memory.
@Suite("SQLiteDatabase", .blockingWork)
struct SQLiteDatabaseTests {
    private func makeDatabase() throws -> SQLiteDatabase {
        let database = try SQLiteDatabase(path: ":memory:")
        try database.execute(sql: "create table t (id integer primary key, i integer, r real, s text)")
        return database
    }

    @Test func bindAndReadRoundTrip() throws {
        let database = try makeDatabase()
        let insert = try database.makeStatement(sql: "insert into t (id, i, r, s) values (?, ?, ?, ?)")
        let rows: [[SQLiteValue]] = [
            [1, .integer(Int64.max), 0.1, "Zoë 北京 🚀"],
            [2, .integer(Int64.min), -1.5e300, ""],
            [3, .null, .null, .null],
            [4, 0, 0.0, .text("nul\u{0}inside")],
        ]
        for row in rows { try insert.execute(row) }
        #expect(database.changes == 1)
        #expect(database.lastInsertedRowID == 4)

        let select = try database.makeStatement(sql: "select id, i, r, s from t order by id")
        #expect(select.columnCount == 4)
        #expect(select.columnName(at: 3) == "s")
        var read: [[SQLiteValue]] = []
        while try select.step() { read.append((0..<4).map { select.value(at: $0) }) }
        #expect(read == rows)

        // Typed readers on one row.
        try select.reset()
        #expect(try select.step())
        #expect(select.int64(at: 1) == Int64.max)
        #expect(select.double(at: 2) == 0.1)
        #expect(select.string(at: 3) == "Zoë 北京 🚀")
        #expect(!select.isNull(at: 3))
        #expect(try select.step())
        #expect(select.string(at: 3) == "")  // empty text is not NULL
        #expect(try select.step())
        #expect(select.isNull(at: 1) && select.string(at: 3) == nil)
    }

    @Test func bindsByIndexAndRebindsAfterReset() throws {
        let database = try makeDatabase()
        let insert = try database.makeStatement(sql: "insert into t (id, s) values (?1, ?2)")
        #expect(insert.parameterCount == 2)
        for id in Int64(1)...3 {
            try insert.reset()
            try insert.bind(id, at: 1)
            try insert.bind("row \(id)", at: 2)
            #expect(try insert.step() == false)
        }
        #expect(try database.scalar(sql: "select group_concat(s, '|') from t") == .text("row 1|row 2|row 3"))
        #expect(throws: SQLiteError.self) { try insert.bind(1 as Int64, at: 3) }
        #expect(throws: SQLiteError.self) { try insert.execute([1]) }
    }

    @Test func errorQuotesTheSQLButNotTheValues() throws {
        let database = try makeDatabase()
        try database.execute(sql: "insert into t (id, s) values (?, ?)", arguments: [1, "first"])
        do {
            try database.execute(sql: "insert into t (id, s) values (?, ?)", arguments: [1, "secret customer name"])
            Issue.record("a duplicate key must throw")
        } catch let error as SQLiteError {
            #expect(error.isConstraintViolation)
            #expect(error.resultCode == 19)
            #expect(error.extendedResultCode == 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY
            #expect(error.sql == "insert into t (id, s) values (?, ?)")
            #expect(error.description.contains("UNIQUE constraint failed: t.id"))
            #expect(error.description.contains("while executing `insert into t (id, s) values (?, ?)`"))
            #expect(!error.description.contains("secret"))
        }
    }

    @Test func prepareErrorQuotesTheSQL() throws {
        let database = try makeDatabase()
        #expect { try database.makeStatement(sql: "selec 1") } throws: { error in
            let error = error as? SQLiteError
            return error?.resultCode == 1 && error?.sql == "selec 1" && error?.message.contains("syntax error") == true
        }
        #expect { try database.makeStatement(sql: "select * from missing") } throws: {
            ($0 as? SQLiteError)?.message == "no such table: missing"
        }
    }

    @Test func scriptsRunStatementByStatementAndQuoteTheFailingOne() throws {
        let database = try makeDatabase()
        try database.execute(sql: "insert into t (id) values (1); -- a comment\n insert into t (id) values (2);\n")
        #expect(try database.scalar(sql: "select count(*) from t") == 2)
        #expect { try database.execute(sql: "insert into t (id) values (3); insert into nowhere values (4); insert into t (id) values (5)") }
            throws: { ($0 as? SQLiteError)?.sql?.contains("insert into nowhere values (4)") == true }
        // Statements before the failure stay applied; those after it never ran.
        #expect(try database.rows(sql: "select id from t order by id") == [[1], [2], [3]])
        // One statement per prepared statement: a second one is refused, not silently dropped.
        #expect(throws: SQLiteError.self) { try database.makeStatement(sql: "select 1; select 2") }
        _ = try database.makeStatement(sql: "select 1; -- trailing comment")
    }

    @Test func transactionsCommitOrRollBack() throws {
        struct Abort: Error {}
        let database = try makeDatabase()
        try database.transaction { try database.execute(sql: "insert into t (id) values (1)") }
        #expect(throws: Abort.self) {
            try database.transaction(.immediate) {
                try database.execute(sql: "insert into t (id) values (2)")
                #expect(database.isInsideTransaction)
                throw Abort()
            }
        }
        #expect(!database.isInsideTransaction)
        #expect(try database.rows(sql: "select id from t") == [[1]])
        // A failing statement inside rolls back the whole transaction.
        #expect(throws: SQLiteError.self) {
            try database.transaction {
                try database.execute(sql: "insert into t (id) values (3)")
                try database.execute(sql: "insert into t (id) values (1)")
            }
        }
        #expect(try database.rows(sql: "select id from t") == [[1]])
    }

    @Test func closeRefusesWhileStatementsLive() throws {
        let database = try makeDatabase()
        var statement: SQLiteStatement? = try database.makeStatement(sql: "select 1")
        #expect { try database.close() } throws: { ($0 as? SQLiteError)?.resultCode == 5 }  // SQLITE_BUSY
        _ = statement
        statement = nil
        try database.close()
        #expect(throws: SQLiteError.self) { try database.execute(sql: "select 1") }
    }

    @Test func openingAnImpossiblePathNamesIt() {
        #expect { try SQLiteDatabase(path: "/no/such/dir/x.db") } throws: { error in
            let error = error as? SQLiteError
            return error?.resultCode == 14 && error?.message.contains("/no/such/dir/x.db") == true
        }
    }
}
