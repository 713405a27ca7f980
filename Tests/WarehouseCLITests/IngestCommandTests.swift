import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// `warehouse ingest` and `check` as a user runs them: the built binary, real PostgreSQL.
@Suite(.blockingWork) struct IngestCommandTests {
    static let sample = TestSupport.packageRoot.appendingPathComponent("data/sample_orders.csv").path

    /// Runs the binary with `input` on standard input.
    func runWithInput(_ arguments: [String], input: Data) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = WarehouseCLI.executable
        process.arguments = arguments
        process.environment = WarehouseCLI.isolatedEnvironment
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        DispatchQueue.global().async {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        let errorData = stderr.fileHandleForReading.readDataToEndOfFile()
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }

    @Test func sampleLoadsFromAFileAndAgainFromStdinAsAlreadyLoaded() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let first = try WarehouseCLI.run(["ingest", "--database-url", database.url, "--json", Self.sample])
        #expect(first.status == 0, "\(first.standardError)")
        let summary = try JSONSerialization.jsonObject(with: Data(first.standardOutput.utf8)) as? [String: Any]
        #expect(summary?["rows_read"] as? Int == 1009)
        #expect(summary?["inserted"] as? Int == 1002)
        #expect(summary?["rejected"] as? Int == 7)

        let again = try runWithInput(["ingest", "--database-url", database.url, "-"], input: try Data(contentsOf: URL(fileURLWithPath: Self.sample)))
        #expect(again.status == 0, "\(again.error)")
        #expect(again.output.contains("stdin: already loaded as batch 1"))
        let connection = try database.connect()
        #expect(try connection.execute("select count(*) as n from warehouse.fact_orders").single().int("n") == 1002)
        let kinds = try connection.execute("select source_kind || ':' || status as k from ops.load_batches order by batch_id").rows.map { try $0.string("k") }
        #expect(kinds == ["file:succeeded", "stdin:skipped"])
    }

    @Test func stdinRepeatsQuoteTheirRawText() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let csv = "order_id,customer_name,price,order_date,product_id,passenger_count\n1,Ann,1.00,2023-12-01,lounge,1\n1,Bob,1.00,2023-12-01,lounge,1\n2,Cy,1.00,2023-12-01,lounge,1\n"
        let run = try runWithInput(["ingest", "--database-url", database.url, "--max-rejects", "2", "-"], input: Data(csv.utf8))
        #expect(run.status == 0, "\(run.error)")
        let raws = try database.connect().execute("select raw_record from ops.rejected_rows order by line_number").rows.map { try $0.string("raw_record") }
        #expect(raws == ["1,Ann,1.00,2023-12-01,lounge,1", "1,Bob,1.00,2023-12-01,lounge,1"])
    }

    @Test func aRefusedLoadExitsNonZeroNamingFileAndLine() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).csv")
        try Data("customer_name,order_id,price,order_date,product_id,passenger_count\nAnn,1,1.00,2023-12-01,lounge,1\nBob,2,1.00,2023-13-01,lounge,1\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let check = try WarehouseCLI.run(["check", "--database-url", database.url, "--max-rejects", "0", url.path])
        #expect(check.status != 0)
        let ingest = try WarehouseCLI.run(["ingest", "--database-url", database.url, "--max-rejects", "0", url.path])
        #expect(ingest.status != 0)
        #expect(ingest.standardError.contains(url.path))
        #expect(ingest.standardError.contains("line 3: order_date is not a real calendar date: 2023-13-01"))
        #expect(try database.connect().execute("select count(*) as n from warehouse.fact_orders").single().int("n") == 0)
    }

    /// SIGKILL at several moments of a load: the warehouse is as it was, the next run succeeds.
    @Test func killingALoadAtAnyMomentLeavesTheWarehouseAsItWas() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let generated = try WarehouseCLI.run(["generate", "--orders", "200000", "--seed", "7", "--snapshots", "2", "--out-dir", dir.path])
        #expect(generated.status == 0, "\(generated.standardError)")
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".csv") }.sorted()
            .map { dir.appendingPathComponent($0).path }
        let connection = try database.connect()
        func facts() throws -> Int { try connection.execute("select count(*) as n from warehouse.fact_orders").single().int("n") }
        func changedBySecond() throws -> Int {
            try connection.execute("select count(*) as n from warehouse.fact_orders where updated_batch_id > inserted_batch_id").single().int("n")
        }

        // Moments seen on the server, not guessed with delays: the batch is recorded as
        // running, rows are streaming in by COPY, the COPY is over and the merge runs.
        let copying: SQL = """
            select count(*) as n from pg_stat_progress_copy p join pg_database d on d.oid = p.datid
            where d.datname = \(database.name)
            """
        func isCopying() throws -> Bool { try connection.execute(copying).single().int("n") > 0 }
        func isRunningBatch() throws -> Bool {
            try connection.execute("select count(*) as n from ops.load_batches where status = 'running'").single().int("n") > 0
        }
        /// Starts a load and kills it once `moment` holds (or when it ended first: then the
        /// load had committed, which the checks below allow).
        func killLoad(of file: String, when moment: () throws -> Bool) throws {
            let running = try WarehouseCLI.start(["ingest", "--database-url", database.url, "-q", file])
            while running.isRunning, try !moment() { Thread.sleep(forTimeInterval: 0.002) }
            kill(running.processIdentifier, SIGKILL)
            _ = running.wait()
        }
        func afterCopy() -> () throws -> Bool {
            var copied = false
            return {
                if try isCopying() { copied = true; return false }
                return copied
            }
        }

        // Killed during the first (bulk) load, then during a merge.
        for moment in [isCopying, afterCopy()] {
            try killLoad(of: snapshots[0], when: moment)
            // Nothing, or (on a machine fast enough to finish first) everything: never a part.
            let count = try facts()
            #expect(count == 0 || count == 200_000)
        }
        let loaded = try WarehouseCLI.run(["ingest", "--database-url", database.url, "-q", snapshots[0]])
        #expect(loaded.status == 0, "\(loaded.standardError)")
        let before = try facts()
        #expect(before > 190_000)
        for moment in [isRunningBatch, isCopying, afterCopy()] {
            try killLoad(of: snapshots[1], when: moment)
            let count = try facts()
            let changed = try changedBySecond()
            // Either untouched, or (if the kill came after commit) wholly loaded: never in between.
            #expect((count == before && changed == 0) || (count > before && changed > 0))
        }
        let next = try WarehouseCLI.run(["ingest", "--database-url", database.url, "--json", snapshots[1]])
        #expect(next.status == 0, "\(next.standardError)")
        let abandoned = try connection.execute("select count(*) as n from ops.load_batches where status = 'failed' and error like 'abandoned%'").single().int("n")
        #expect(abandoned >= 2)
        #expect(try connection.execute("select count(*) as n from ops.load_batches where status = 'running'").single().int("n") == 0)
        #expect(try TestSupport.reportDrift(connection) == 0)
    }
}
