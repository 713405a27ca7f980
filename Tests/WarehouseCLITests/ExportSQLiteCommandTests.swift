import ArgumentParser
import Testing
@testable import warehouse
import WarehouseTestSupport

/// `warehouse export-sqlite` at the parse level: what is accepted before any database work.
@Suite("Export: export-sqlite command line", .blockingWork)
struct ExportSQLiteCommandTests {
    @Test func parsesPathAndAsOf() throws {
        let command = try #require(
            try Warehouse.parseAsRoot(["export-sqlite", "out/application.db", "--as-of", "2024-02-29"])
                as? Warehouse.ExportSQLite)
        #expect(command.path == "out/application.db")
        #expect(command.asOf == "2024-02-29")
    }

    @Test func asOfIsOptional() throws {
        let command = try #require(try Warehouse.parseAsRoot(["export-sqlite", "application.db"]) as? Warehouse.ExportSQLite)
        #expect(command.asOf == nil)
        #expect(!command.full && !command.json)
    }

    @Test func fullAndJSONAreFlags() throws {
        let command = try #require(
            try Warehouse.parseAsRoot(["export-sqlite", "application.db", "--full", "--json"]) as? Warehouse.ExportSQLite)
        #expect(command.full && command.json)
    }

    @Test(arguments: ["2023-02-29", "2023-13-01", "2023-12-1", "10/12/2023", "2023-12-10T00:00", ""])
    func refusesAnAsOfThatIsNotACalendarDate(_ asOf: String) {
        #expect(throws: (any Error).self) {
            _ = try Warehouse.parseAsRoot(["export-sqlite", "application.db", "--as-of", asOf])
        }
    }

    @Test func requiresAPath() {
        #expect(throws: (any Error).self) { _ = try Warehouse.parseAsRoot(["export-sqlite"]) }
    }
}
