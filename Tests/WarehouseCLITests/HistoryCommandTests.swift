import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// `warehouse history` and `report --at-batch` as a user runs them: the built binary, real PostgreSQL.
@Suite(.blockingWork) struct HistoryCommandTests {
    static let header = "order_id,customer_name,price,order_date,product_id,passenger_count\n"

    func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func historyListsEveryVersionAndReportsTravelBack() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let dayOne = try file(Self.header + "1,Ann,10.00,2023-12-01,transfer,1\n2,Bob,5.00,2023-12-02,lounge,2\n")
        let dayTwo = try file(Self.header + "1,Ann,12.50,2023-12-01,transfer,1\n")
        for (path, extra) in [(dayOne, [String]()), (dayTwo, ["--allow-shrink"])] {
            let load = try WarehouseCLI.run(["ingest", "--database-url", database.url, "-q"] + extra + [path])
            #expect(load.status == 0, "\(load.standardError)")
        }

        let history = try WarehouseCLI.run(["history", "--database-url", database.url, "--format", "json", "1", "2", "3"])
        #expect(history.status == 0, "\(history.standardError)")
        let versions = try #require(try JSONSerialization.jsonObject(with: Data(history.standardOutput.utf8)) as? [[String: Any]])
        let summary = versions.map { "\($0["order_id"]!)/\($0["version"]!)/\($0["price"]!)/\($0["made_by_batch"]!)/\($0["ended"]!)" }
        #expect(summary == ["1/1/10.0/1/replaced", "1/2/12.5/2/current", "2/1/5.0/1/removed"])
        #expect(history.standardError.contains("never loaded: 3"))

        let table = try WarehouseCLI.run(["history", "--database-url", database.url, "2"])
        #expect(table.standardOutput.contains("removed"))
        #expect(table.standardOutput.contains("(1 row)"))

        let now = try WarehouseCLI.run(["report", "total-orders", "--database-url", database.url, "--format", "csv"])
        #expect(now.standardOutput == "customer_name,total_orders,total_value,first_order_date,last_order_date\r\nAnn,1,12.50,2023-12-01,2023-12-01\r\n")
        let then = try WarehouseCLI.run(["report", "total-orders", "--at-batch", "1", "--database-url", database.url, "--format", "csv"])
        #expect(then.status == 0, "\(then.standardError)")
        #expect(then.standardOutput.contains("Ann,1,10.00,2023-12-01,2023-12-01\r\n"))
        #expect(then.standardOutput.contains("Bob,1,5.00,2023-12-02,2023-12-02\r\n"))

        let missing = try WarehouseCLI.run(["report", "total-orders", "--at-batch", "7", "--database-url", database.url])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("batch 7 does not exist"))
    }
}
