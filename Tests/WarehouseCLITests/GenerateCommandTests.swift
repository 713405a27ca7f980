import ArgumentParser
import Foundation
import Testing
@testable import warehouse
import WarehouseTestSupport

/// `warehouse generate` at the parse level: options land where they should and bad ones are
/// refused by `validate()` before anything is written.
@Suite("generate command", .blockingWork)
struct GenerateCommandTests {
    private func parse(_ arguments: [String]) throws -> Warehouse.Generate {
        let command = try Warehouse.parseAsRoot(["generate"] + arguments)
        return try #require(command as? Warehouse.Generate)
    }

    @Test func parsesEveryOption() throws {
        let command = try parse([
            "--orders", "1000", "--customers", "50", "--seed", "7", "--start", "2023-01-01", "--end", "2023-03-31",
            "--dirty-rate", "0.02", "-o", "orders.csv.gz", "--manifest", "rejects.tsv", "--quiet",
        ])
        #expect(command.orders == 1000)
        #expect(command.customers == 50)
        #expect(command.seed == 7)
        #expect(command.start == "2023-01-01")
        #expect(command.end == "2023-03-31")
        #expect(command.dirtyRate == 0.02)
        #expect(command.output == "orders.csv.gz")
        #expect(command.manifest == "rejects.tsv")
        #expect(command.quiet)
    }

    @Test func defaultsMatchTheSample() throws {
        let command = try parse(["--orders", "10"])
        #expect(command.seed == 42)
        #expect(command.end == "2023-12-09")
        #expect(command.start == nil)
        #expect(command.dirtyRate == 0)
        #expect(command.output == nil)
        #expect(command.snapshots == nil)
    }

    @Test func snapshotsNeedAnOutputDirectory() throws {
        let command = try parse(["--orders", "10", "--snapshots", "3", "--out-dir", "daily"])
        #expect(command.snapshots == 3)
        #expect(command.outDir == "daily")
    }

    @Test(arguments: [
        (["--orders", "0"], "--orders must be at least 1"),
        (["--orders=-5"], "--orders must be at least 1"),
        (["--orders", "10", "--customers", "0"], "--customers must be at least 1"),
        (["--orders", "10", "--dirty-rate", "0.9"], "--dirty-rate must be between 0 and 0.5"),
        (["--orders", "10", "--start", "2023-02-30"], "--start must be a calendar date"),
        (["--orders", "10", "--end", "yesterday"], "--end must be a calendar date"),
        (["--orders", "10", "--start", "2024-01-01"], "is after --end"),
        (["--orders", "10", "--snapshots", "3"], "--snapshots needs --out-dir"),
        (["--orders", "10", "--snapshots", "0", "--out-dir", "d"], "--snapshots must be between 1 and"),
        (["--orders", "10", "--snapshots", "2", "--out-dir", "d", "-o", "x.csv"], "drop -o/--output"),
        (["--orders", "10", "--out-dir", "d"], "--out-dir is only used with --snapshots"),
        (["--orders", "10", "--manifest", "-"], "--manifest needs a file"),
    ])
    func rejectsInvalidOptions(arguments: [String], message: String) {
        do {
            _ = try Warehouse.parseAsRoot(["generate"] + arguments)
            Issue.record("\(arguments) parsed")
        } catch {
            let text = Warehouse.message(for: error)
            #expect(text.contains(message), "\(text)")
            #expect(Warehouse.exitCode(for: error) == .validationFailure)
        }
    }

    @Test func runWritesTheFileAndManifest() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("generate-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("orders.csv").path
        let manifest = directory.appendingPathComponent("rejects.tsv").path
        let command = try parse(["--orders", "500", "--dirty-rate", "0.05", "-o", csv, "--manifest", manifest, "-q"])
        try await command.run()
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        #expect(text.hasPrefix("customer_name,order_id,price,order_date,product_id,passenger_count\n"))
        let rejects = try String(contentsOfFile: manifest, encoding: .utf8).split(separator: "\n")
        #expect(!rejects.isEmpty)
        #expect(rejects.allSatisfy { $0.split(separator: "\t").count == 2 })
    }
}
