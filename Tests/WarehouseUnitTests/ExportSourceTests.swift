import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// `export_info.source` travels with the file: never a password, never a path of this machine.
@Suite(.blockingWork) struct ExportSourceTests {
    @Test func theEmbeddedClusterIsNamedWithoutItsFolder() {
        let settings = DatabaseSettings(home: "/srv/secret-place/.warehouse", environment: [:])
        #expect(settings.exportSourceDescription == "embedded cluster")
    }

    @Test func aURLIsKeptWithItsPasswordRedacted() {
        let flag = DatabaseSettings(databaseURL: "postgresql://wh:s3cret@db.example.com/warehouse", environment: [:])
        #expect(flag.exportSourceDescription == "postgresql://wh:****@db.example.com/warehouse")
        let environment = DatabaseSettings(environment: ["DATABASE_URL": "postgres://wh:pw@host/db?password=other"])
        #expect(!environment.exportSourceDescription.contains("pw@") && !environment.exportSourceDescription.contains("other"))
    }

    @Test func libpqVariablesAreNamedNotCopied() {
        let settings = DatabaseSettings(environment: ["PGHOST": "/var/run/postgresql", "PGPASSWORD": "x"])
        #expect(settings.exportSourceDescription == "libpq PG* environment variables")
    }
}
