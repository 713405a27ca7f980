import ArgumentParser
import Testing
@testable import warehouse
import WarehouseTestSupport

/// `warehouse db` and `warehouse status` at the parse level: no process, no database.
@Suite(.blockingWork) struct DBParsingTests {
    @Test func dbURLTakesHomeAndFormatFlags() throws {
        let command = try Warehouse.parseAsRoot(["db", "url", "--conninfo", "--no-start", "--home", "/srv/wh"])
        let url = try #require(command as? Warehouse.DB.URLCommand)
        #expect(url.conninfo && url.noStart)
        #expect(url.options.home == "/srv/wh")
    }

    @Test func dbCommandsDoNotTakeADatabaseURL() {
        // `db` is about the embedded cluster only: a URL flag there would be misleading.
        #expect(throws: (any Error).self) { try Warehouse.parseAsRoot(["db", "start", "--database-url", "postgresql:///x"]) }
    }

    @Test func statusTakesTheGlobalOptions() throws {
        let command = try Warehouse.parseAsRoot(["status", "--database-url", "postgresql:///x", "--home", "/srv/wh"])
        let status = try #require(command as? Warehouse.Status)
        #expect(status.options.databaseURL == "postgresql:///x")
    }
}
