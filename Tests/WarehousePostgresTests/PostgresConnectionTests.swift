import Testing
import WarehouseKit
import WarehouseTestSupport

/// The libpq layer against a real server: binding, NULLs, text encoding, server errors.
@Suite(.blockingWork) struct PostgresConnectionTests {
    @Test func boundValuesAreNeverPastedIntoTheStatement() throws {
        let database = try TestDatabase.fresh(migrated: false)
        let connection = try database.connect()
        let hostile = "'); drop table pg_class; --"
        let sql: SQL = "select \(hostile)::text as text, \(42)::int as number, \(2.5)::float8 as real, \(true)::bool as flag"
        #expect(sql.text == "select $1::text as text, $2::int as number, $3::float8 as real, $4::bool as flag")
        let row = try connection.execute(sql).single()
        #expect(try row.string("text") == hostile)
        #expect(try row.int("number") == 42)
        #expect(try row.double("real") == 2.5)
        #expect(try row.bool("flag"))
    }

    @Test func arraysAndIdentifiersAreQuoted() throws {
        let database = try TestDatabase.fresh(migrated: false)
        let connection = try database.connect()
        let names = ["plain", "with \"quotes\"", "back\\slash", "comma,inside"]
        let row = try connection.execute("select cardinality(\(names)::text[]) as n, (\(names)::text[])[2] as second").single()
        #expect(try row.int("n") == 4)
        #expect(try row.string("second") == "with \"quotes\"")
        try connection.execute("create table \(identifier: "odd \"name\"") (id int)")
        #expect(try connection.execute("select count(*) as n from \(identifier: "odd \"name\"")").single().int("n") == 0)
    }

    @Test func nullsGoBothWays() throws {
        let database = try TestDatabase.fresh(migrated: false)
        let connection = try database.connect()
        let missing: String? = nil
        let row = try connection.execute("select \(missing)::text as nothing, \(missing)::text is null as isnull, 1 as one").single()
        #expect(row["nothing"] == nil)
        #expect(try row.optionalString("nothing") == nil)
        #expect(try row.optionalInt("nothing") == nil)
        #expect(try row.bool("isnull"))
        #expect(row.dictionary == ["isnull": "t", "one": "1"])
        #expect(throws: PostgresError.self) { try row.string("nothing") }
    }

    @Test func unicodeRoundTrips() throws {
        let database = try TestDatabase.fresh(migrated: false)
        let connection = try database.connect()
        let text = "Zoë Ångström — 東京 🚀"
        let row = try connection.execute("select \(text)::text as text, char_length(\(text)) as length").single()
        #expect(try row.string("text") == text)
        #expect(try row.int("length") == text.count)
        #expect(try connection.execute("select upper(\("zoë")) as u").single().string("u") == "ZOË")
    }

    @Test func serverErrorsKeepSQLStateDetailConstraintAndQuery() throws {
        let database = try TestDatabase.fresh(migrated: false)
        let connection = try database.connect()
        try connection.execute("create table customers (name text primary key)")
        try connection.execute("insert into customers values (\("Ada"))")
        let error = try #require(throws: PostgresError.self) {
            try connection.execute("insert into customers values (\("Ada"))")
        }
        #expect(error.kind == .server)
        #expect(error.sqlState == "23505")
        #expect(error.isUniqueViolation)
        #expect(error.detail == "Key (name)=(Ada) already exists.")
        #expect(error.constraint == "customers_pkey")
        #expect(error.query == "insert into customers values ($1)")
        #expect(error.description.contains("SQLSTATE 23505"))
        // Row data stays out of the text unless asked for.
        #expect(!error.description.contains("Ada"))
        #expect(error.description.contains("--verbose"))
        // The connection is still usable after an error.
        #expect(try connection.execute("select count(*) as n from customers").single().int("n") == 1)
    }

    @Test func syntaxErrorsHaveTheirSQLState() throws {
        let database = try TestDatabase.fresh(migrated: false)
        let connection = try database.connect()
        let error = try #require(throws: PostgresError.self) { try connection.execute("selec 1") }
        #expect(error.sqlState == "42601")
        let scriptError = try #require(throws: PostgresError.self) {
            try connection.executeScript("create table a (id int); select * from missing_table;")
        }
        #expect(scriptError.sqlState == "42P01")
    }

    @Test func transactionsRollBackWhenTheBodyThrows() throws {
        struct Abort: Error {}
        let database = try TestDatabase.fresh(migrated: false)
        let connection = try database.connect()
        try connection.execute("create table t (id int)")
        #expect(throws: Abort.self) {
            try connection.transaction {
                try connection.execute("insert into t values (1)")
                throw Abort()
            }
        }
        _ = try connection.transaction { try connection.execute("insert into t values (2)") }
        #expect(try connection.execute("select array_agg(id)::text as ids from t").single().string("ids") == "{2}")
    }

    @Test func connectionFailuresNeverShowThePassword() throws {
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection(conninfo: "postgresql://ann:s3cr3t-pw@127.0.0.1:1/db?connect_timeout=2")
        }
        #expect(error.kind == .connection)
        #expect(!error.description.contains("s3cr3t-pw"))
    }
}
