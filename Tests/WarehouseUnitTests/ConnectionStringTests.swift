import Testing
import WarehouseKit
import WarehouseTestSupport

/// Passwords never printed; connection strings parsed and written as libpq reads them.
@Suite(.blockingWork) struct ConnectionStringTests {
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

    /// A password typed with an unescaped `@`: everything up to the authority's last `@` is
    /// hidden, whatever follows the authority (a path, a query, a fragment or nothing).
    @Test(arguments: [
        ("postgresql://wh:Secr3t@Part2-Hidden@host/db", "postgresql://wh:****@host/db"),
        ("postgresql://wh:Secr3t@Part2-Hidden@host:5432/db?sslmode=require", "postgresql://wh:****@host:5432/db?sslmode=require"),
        ("postgres://wh:Secr3t@Part2-Hidden@host?dbname=db", "postgres://wh:****@host?dbname=db"),
        ("postgresql://wh:Secr3t@Part2-Hidden@host#x", "postgresql://wh:****@host#x"),
        ("postgresql://wh:Secr3t@Part2-Hidden@host", "postgresql://wh:****@host"),
        ("POSTGRESQL://wh:Secr3t@Part2-Hidden@host/db", "POSTGRESQL://wh:****@host/db"),
        ("postgresql://wh:Secr3t@Part2@Part3-Hidden@[::1]:5432/db", "postgresql://wh:****@[::1]:5432/db"),
        ("postgresql://Secr3t@Part2-Hidden@host/db", "postgresql://****@host/db"),
        ("postgresql://:Secr3t@Part2-Hidden@host/db", "postgresql://:****@host/db"),
        ("Target: postgresql://wh:Secr3t@Part2-Hidden@host/db (--database-url), then postgresql://a:Secr3t@b@c/d",
         "Target: postgresql://wh:****@host/db (--database-url), then postgresql://a:****@c/d"),
        ("postgresql://wh@host/db?password=Secr3t@Part2-Hidden&sslmode=require", "postgresql://wh@host/db?password=****&sslmode=require"),
        ("host=db user=wh password=Secr3t@Part2-Hidden dbname=wh", "host=db user=wh password=**** dbname=wh"),
        ("host=db user=wh password='Secr3t@Part2 Hidden' dbname=wh", "host=db user=wh password=**** dbname=wh"),
        // libpq reads such a URL's host as "Part2-Hidden@host" and quotes it in its error.
        ("could not translate host name \"Part2-Hidden@localhost\" to address: Name or service not known",
         "could not translate host name \"****@localhost\" to address: Name or service not known"),
    ])
    func redactHidesPasswordsWithAnAtSign(input: String, expected: String) {
        #expect(ConnectionString.redact(input) == expected)
        #expect(!ConnectionString.redact(input).contains("Part2"))
        #expect(!ConnectionString.redact(input).contains("Secr3t"))
    }

    /// Where users meet it: the Target line of `warehouse status` and libpq's failure to connect.
    @Test func anAtSignInThePasswordShowsNeitherOnTheTargetLineNorInTheError() {
        let settings = DatabaseSettings(databaseURL: "postgresql://wh:Secr3t@Part2-Hidden@localhost/db", home: "/tmp", environment: [:])
        #expect(settings.displayName == "postgresql://wh:****@localhost/db (--database-url)")
        let error = #expect(throws: PostgresError.self) { try settings.connect() }
        let message = error.map { String(describing: $0) } ?? ""
        #expect(message.contains("could not connect"), "\(message)")
        #expect(!message.contains("Part2") && !message.contains("Secr3t"), "\(message)")
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
