import Testing
import WarehouseKit

/// Passwords never printed; connection strings parsed and written as libpq reads them.
@Suite struct ConnectionStringTests {
    @Test(arguments: [
        ("postgresql://ann:s3cr3t@db.example.com:5432/wh", "postgresql://ann:****@db.example.com:5432/wh"),
        ("postgres://ann:s3cr3t@db/wh?sslmode=require", "postgres://ann:****@db/wh?sslmode=require"),
        ("postgresql://ann@db/wh?password=s3cr3t&sslmode=require", "postgresql://ann@db/wh?password=****&sslmode=require"),
        ("host=db user=ann password=s3cr3t dbname=wh", "host=db user=ann password=**** dbname=wh"),
        ("host=db password = 's3 cr\\'3t' dbname=wh", "host=db password = **** dbname=wh"),
        ("host=db PASSWORD=s3cr3t", "host=db PASSWORD=****"),
        ("postgresql:///warehouse?host=/tmp/x&user=warehouse", "postgresql:///warehouse?host=/tmp/x&user=warehouse"),
    ])
    func redactHidesPasswords(input: String, expected: String) {
        #expect(ConnectionString.redact(input) == expected)
        #expect(!ConnectionString.redact(input).contains("s3"))
    }

    @Test func parsesURLsAndKeyValueStringsAlike() throws {
        let fromURL = try ConnectionParameters(parsing: "postgresql:///warehouse?host=/tmp/pg%20run&user=warehouse&port=5433")
        #expect(fromURL["host"] == "/tmp/pg run")
        #expect(fromURL["dbname"] == "warehouse")
        #expect(fromURL["port"] == "5433")
        let fromConninfo = try ConnectionParameters(parsing: fromURL.conninfo)
        #expect(fromConninfo == fromURL)
        let fromOwnURL = try ConnectionParameters(parsing: fromURL.url)
        #expect(fromOwnURL == fromURL)
    }

    @Test func quotesAwkwardValues() throws {
        let awkward = ConnectionParameters([("host", "/tmp/it's here"), ("password", "a\\b' c&d=e"), ("dbname", "wh")])
        #expect(try ConnectionParameters(parsing: awkward.conninfo) == awkward)
        #expect(try ConnectionParameters(parsing: awkward.url) == awkward)
    }

    @Test func switchesDatabaseKeepingTheRest() throws {
        let parameters = try ConnectionParameters(parsing: "postgresql://ann:pw@db.example.com:6543/postgres?sslmode=disable")
        let other = parameters.with(database: "wh_test_1")
        #expect(other["dbname"] == "wh_test_1")
        #expect(other["host"] == "db.example.com")
        #expect(other["port"] == "6543")
        #expect(other["user"] == "ann")
        #expect(other["password"] == "pw")
        #expect(other["sslmode"] == "disable")
    }

    @Test func malformedStringsAreRefusedWithoutThePassword() {
        let error = #expect(throws: PostgresError.self) {
            try ConnectionParameters(parsing: "host=db password=s3cr3t 'unterminated")
        }
        #expect(error.map { !$0.description.contains("s3cr3t") } ?? false)
    }
}
