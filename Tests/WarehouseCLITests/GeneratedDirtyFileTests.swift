import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// A generated dirty file loads all its clean rows and rejects the manifest's lines (and, after
/// a broken multi-line record, its broken continuation lines); a second run changes nothing.
@Suite(.blockingWork) struct GeneratedDirtyFileTests {
    @Test(arguments: [("3", "0.02"), ("11", "0.05")])
    func rejectsExactlyTheManifest(seed: String, rate: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dirty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("orders.csv.gz").path
        let manifest = dir.appendingPathComponent("rejects.tsv").path
        let generated = try WarehouseCLI.run(["generate", "--orders", "20000", "--seed", seed, "--dirty-rate", rate, "-o", csv, "--manifest", manifest])
        #expect(generated.status == 0, "\(generated.standardError)")
        let expectedLines = try String(contentsOfFile: manifest, encoding: .utf8).split(separator: "\n")
            .compactMap { Int($0.split(separator: "\t").first ?? "") }

        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let first = try WarehouseCLI.run(["ingest", "--database-url", database.url, "--json", "--max-rejects", "10%", csv])
        #expect(first.status == 0, "\(first.standardError)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(first.standardOutput.utf8)) as? [String: Any])
        let connection = try database.connect()
        let rejectedLines = try connection.execute("select line_number from ops.rejected_rows order by line_number").rows.map { try $0.int("line_number") }
        // Every manifest line is rejected. A rejected record that a quoted field carried over a
        // line break costs its first line, and the lines after it are read again on their own
        // (a stray quote must not swallow them): such a continuation line, itself broken, is the
        // only other line that may be rejected.
        let rejected = Set(rejectedLines)
        #expect(Set(expectedLines).isSubset(of: rejected))
        let continuations = rejected.subtracting(expectedLines)
        #expect(continuations.allSatisfy { rejected.contains($0 - 1) }, "\(continuations.sorted())")
        let read = try #require(summary["rows_read"] as? Int)
        let duplicates = try #require(summary["duplicates"] as? Int)
        let facts = try connection.execute("select count(*) as n from warehouse.fact_orders").single().int("n")
        #expect(facts == read - rejectedLines.count - duplicates, "every clean row is loaded")

        let second = try WarehouseCLI.run(["ingest", "--database-url", database.url, "--max-rejects", "10%", csv])
        #expect(second.status == 0)
        #expect(second.standardOutput.contains("already loaded as batch 1"))
        let forced = try WarehouseCLI.run(["ingest", "--database-url", database.url, "--max-rejects", "10%", "--force", "--json", csv])
        let again = try #require(try JSONSerialization.jsonObject(with: Data(forced.standardOutput.utf8)) as? [String: Any])
        #expect(again["inserted"] as? Int == 0)
        #expect(again["updated"] as? Int == 0)
        #expect(again["unchanged"] as? Int == facts)
    }
}
