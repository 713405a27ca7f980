import ArgumentParser
import Foundation
import Testing
@testable import warehouse
import WarehouseKit
import WarehouseFakeSupplier
import WarehouseTestSupport

@Suite("Pull: the command line", .blockingWork)
struct PullCLITests {
    @Test(arguments: [
        ["pull", "--url", "https://a.example", "--csv-url", "https://a.example/all.csv"],
        ["pull", "--every", "5x"],
        ["pull", "--page-size", "0"],
        ["pull", "--read-timeout", "0"],
        ["pull", "--request-deadline", "0"],
        ["pull", "--csv-url", "https://a.example/all.csv", "--full"],
    ])
    func badOptionsAreRefusedBeforeAnythingRuns(arguments: [String]) {
        #expect(throws: (any Error).self) { _ = try Warehouse.parseAsRoot(arguments) }
    }

    /// The whole path as an operator runs it: two pulls with the built binary, then their
    /// landing CSVs replayed with `warehouse ingest --incremental` into another database,
    /// which must end up holding exactly the same warehouse.
    @Test func landingFilesReplayThroughIngestToTheSameState() async throws {
        let supplier = try await FakeSupplier.start()
        let pulled = try await TestThreads.run { try TestDatabase.fresh() }
        let replayed = try await TestThreads.run { try TestDatabase.fresh() }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("pull-cli-\(UUID().uuidString)")
        defer {
            try? pulled.drop()
            try? replayed.drop()
            try? FileManager.default.removeItem(at: home)
        }
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let tokenFile = home.appendingPathComponent("token")
        try supplier.token.write(to: tokenFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tokenFile.path)

        supplier.put((1...25).map { .init(id: $0, customer: "Customer \($0 % 6)", price: "\($0).5", date: "2023-12-0\(1 + $0 % 9)",
                                           updatedAt: "2023-12-01T08:00:\(String(format: "%02d", $0))Z") })
        let pull = ["pull", "--url", supplier.baseURL.absoluteString, "--token-file", tokenFile.path,
                    "--database-url", pulled.conninfo, "--home", home.path, "--page-size", "10", "--json"]
        let first = try await run(pull)
        #expect(first.status == 0, "\(first.error)")
        supplier.put([.init(id: 3, customer: "Customer 3", price: "1e2", date: "2023-12-04", updatedAt: "2023-12-02T00:00:00Z"),
                      .init(id: 26, customer: "New, \"quoted\" customer", price: "0.1", date: "2023-12-09", updatedAt: "2023-12-02T00:00:01Z")])
        let second = try await run(pull)
        #expect(second.status == 0, "\(second.error)")
        for result in [first, second] {
            #expect(!(result.output + result.error).contains(supplier.token))
        }
        let csvFiles = try [first, second].map { result -> String in
            let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
            return try #require(object?["csv_file"] as? String)
        }

        for csv in csvFiles {
            let replay = try await run(["ingest", "--incremental", csv, "--database-url", replayed.conninfo, "--quiet"])
            #expect(replay.status == 0, "\(replay.error)")
        }
        let state = """
            select f.order_id, c.customer_name, p.product_id, f.order_date::text, f.price::text, f.passenger_count
            from warehouse.fact_orders f
            join warehouse.dim_customers c using (customer_key)
            join warehouse.dim_products p using (product_key)
            order by f.order_id
            """
        let report = "select * from reporting.total_orders_per_customer order by customer_name"
        for query in [state, report] {
            let expected = try pulled.connect().execute(SQL(unsafeRaw: query)).rows.map(\.dictionary)
            let actual = try replayed.connect().execute(SQL(unsafeRaw: query)).rows.map(\.dictionary)
            #expect(expected.count > 0)
            #expect(actual == expected)
        }
        #expect(try pulled.connect().execute("select price::text as p from warehouse.fact_orders where order_id = 3").single().string("p") == "100.00")
        await supplier.stop()
    }

    @Test func aRefusedTokenExitsNonZeroWithoutPrintingIt() async throws {
        let supplier = try await FakeSupplier.start()
        let database = try await TestThreads.run { try TestDatabase.fresh() }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("pull-cli-\(UUID().uuidString)")
        defer {
            try? database.drop()
            try? FileManager.default.removeItem(at: home)
        }
        let result = try await run(["pull", "--url", supplier.baseURL.absoluteString, "--database-url", database.conninfo,
                                    "--home", home.path], environment: ["WAREHOUSE_SUPPLIER_TOKEN": "not-the-right-token-42"])
        #expect(result.status != 0)
        #expect(result.error.contains("HTTP 401"))
        #expect(result.error.contains("invalid or expired token"))
        #expect(!(result.output + result.error).contains("not-the-right-token-42"))
        #expect(try database.connect().execute("select count(*) as n from warehouse.fact_orders").single().int("n") == 0)
        #expect(try database.connect().execute("select status from ops.load_batches").single().string("status") == "failed")
        await supplier.stop()
    }

    // MARK: - Running the built binary

    private struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs `.build/<config>/warehouse` (next to the test bundle) on a blocking thread: the
    /// fake supplier it talks to runs on this process's cooperative threads.
    private func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> Result {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("warehouse")
        let environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("WAREHOUSE_") }.merging(extra) { $1 }
        return try await TestThreads.run {
            // Files, not pipes: nothing can block on a full pipe buffer.
            let folder = FileManager.default.temporaryDirectory
            let outURL = folder.appendingPathComponent("pull-cli-\(UUID().uuidString).out")
            let errURL = folder.appendingPathComponent("pull-cli-\(UUID().uuidString).err")
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            defer {
                try? FileManager.default.removeItem(at: outURL)
                try? FileManager.default.removeItem(at: errURL)
            }
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments
            process.environment = environment
            process.standardOutput = try FileHandle(forWritingTo: outURL)
            process.standardError = try FileHandle(forWritingTo: errURL)
            try process.run()
            process.waitUntilExit()
            return Result(status: process.terminationStatus, output: try String(contentsOf: outURL, encoding: .utf8),
                          error: try String(contentsOf: errURL, encoding: .utf8))
        }
    }
}
