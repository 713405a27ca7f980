import Testing
import WarehouseKit
import WarehouseTestSupport

/// COPY FROM STDIN / TO STDOUT: success, a failure the server finds mid-stream, a failure of
/// our own closure, and the connection staying usable after each.
@Suite(.blockingWork) struct CopyTests {
    struct ClientGaveUp: Error, Equatable {}

    private func table() throws -> (TestDatabase, PostgresConnection) {
        let database = try TestDatabase.fresh(migrated: false)
        let connection = try database.connect()
        try connection.execute("create table items (id int primary key, name text)")
        return (database, connection)
    }

    @Test func copyInLoadsEveryRow() throws {
        let (database, connection) = try table()
        _ = database
        let copied = try connection.copyIn("copy items (id, name) from stdin") { writer in
            try writer.write("1\tAda\n2\tZoë 🚀\n3\t\\N\n")
        }
        #expect(copied == 3)
        let rows = try connection.execute("select id, name from items order by id").rows
        #expect(rows.map { $0["name"] } == ["Ada", "Zoë 🚀", nil])
    }

    @Test func aBadValueMidStreamSurfacesTheServersSQLState() throws {
        let (database, connection) = try table()
        _ = database
        // Far more than one flush (256 KiB), so the server rejects row 10 while we still send.
        let error = try #require(throws: PostgresError.self) {
            try connection.copyIn("copy items (id, name) from stdin") { writer in
                for id in 1...200_000 {
                    try writer.write(id == 10 ? "ten\tbad\n" : "\(id)\tname \(id)\n")
                }
            }
        }
        #expect(error.sqlState == "22P02")
        #expect(error.description.contains("ten"))
        #expect(try connection.execute("select count(*) as n from items").single().int("n") == 0)
        #expect(try connection.execute("select 1 as one").single().int("one") == 1)
    }

    @Test func aConstraintViolationAtTheEndIsReported() throws {
        let (database, connection) = try table()
        _ = database
        let error = try #require(throws: PostgresError.self) {
            try connection.copyIn("copy items from stdin") { try $0.write("1\ta\n1\tb\n") }
        }
        #expect(error.sqlState == "23505")
        #expect(error.constraint == "items_pkey")
        #expect(try connection.execute("select count(*) as n from items").single().int("n") == 0)
    }

    @Test func aThrowingClosureAbortsTheCopyAndIsRethrown() throws {
        let (database, connection) = try table()
        _ = database
        #expect(throws: ClientGaveUp.self) {
            try connection.copyIn("copy items from stdin") { writer in
                for id in 1...50_000 { try writer.write("\(id)\tx\n") }
                throw ClientGaveUp()
            }
        }
        #expect(try connection.execute("select count(*) as n from items").single().int("n") == 0)
        let copied = try connection.copyIn("copy items from stdin") { try $0.write("7\tafter\n") }
        #expect(copied == 1)
    }

    @Test func aStatementThatIsNotACopyIsRefused() throws {
        let (database, connection) = try table()
        _ = database
        let error = try #require(throws: PostgresError.self) {
            try connection.copyIn("copy missing_table from stdin") { _ in }
        }
        #expect(error.sqlState == "42P01")
        #expect(try connection.execute("select 1 as one").single().int("one") == 1)
    }

    @Test func copyOutStreamsRows() throws {
        let (database, connection) = try table()
        _ = database
        try connection.execute("insert into items values (1, 'Ada'), (2, null), (3, 'Zoë')")
        var bytes: [UInt8] = []
        try connection.copyOut("copy (select id, name from items order by id) to stdout") {
            bytes += $0
        }
        #expect(String(decoding: bytes, as: UTF8.self) == "1\tAda\n2\t\\N\n3\tZoë\n")
    }

    @Test func copyOutClosureErrorsAreRethrownAndTheConnectionRecovers() throws {
        let (database, connection) = try table()
        _ = database
        try connection.execute("insert into items select g, 'n' from generate_series(1, 20000) g")
        var seen = 0
        #expect(throws: ClientGaveUp.self) {
            try connection.copyOut("copy items to stdout") { _ in
                seen += 1
                if seen == 5 { throw ClientGaveUp() }
            }
        }
        #expect(seen == 5)
        #expect(try connection.execute("select count(*) as n from items").single().int("n") == 20000)
    }
}
