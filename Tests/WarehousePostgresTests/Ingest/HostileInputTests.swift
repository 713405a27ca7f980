import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// Input a hostile or careless supplier can send: each case once failed or misled.
@Suite(.blockingWork) struct HostileInputTests {
    let header = IngestFixtures.header

    @Test func aLongCustomerNameOrProductIsARejectedRowNotAFailedLoad() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let longName = String(repeating: "n", count: 3_000)
        let longProduct = String(repeating: "p", count: 3_000)
        let csv = header + "Ann,1,1.00,2023-12-01,transfer,1\n\(longName),2,1.00,2023-12-01,transfer,1\nBob,3,1.00,2023-12-01,\(longProduct),1\n"
        let summary = try IngestFixtures.ingest(database, csv) { $0.maxRejects = .count(5) }
        #expect((summary.inserted, summary.rejected) == (1, 2))
        #expect(summary.firstRejects.map(\.line) == [3, 4])
        #expect(summary.firstRejects.map(\.column) == ["customer_name", "product_id"])
        #expect(summary.firstRejects.allSatisfy { $0.reason.contains("longer than") })
        #expect(summary.firstRejects.allSatisfy { $0.reason.count < 200 }, "the reason quotes an excerpt, not the value")
    }

    @Test func aNameAtTheDocumentedLimitLoads() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        // Four-byte characters: the limit is in characters, and the index must still hold it.
        let name = String(repeating: "😀", count: OrderValidator.maximumNameCharacters)
        let product = String(repeating: "p", count: OrderValidator.maximumProductCharacters)
        let summary = try IngestFixtures.ingest(database, header + "\(name),1,1.00,2023-12-01,\(product),1\n")
        #expect((summary.inserted, summary.rejected) == (1, 0))
    }

    @Test func aGiantHeaderlessLineFailsFastWithAShortMessage() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let line = String(repeating: "x", count: 5 << 20)
        do {
            _ = try IngestFixtures.ingest(database, line)
            Issue.record("a 5 MB first line must be refused")
        } catch {
            let message = String(describing: error)
            #expect(message.contains("line 1"))
            #expect(message.count < 500, "the message must not copy the line")
        }
        let stored = try database.connect().execute("select coalesce(max(length(error)), 0) as n from ops.load_batches").single().int("n")
        #expect(stored < 500)
    }

    @Test func manyHeaderNamesAreListedShortly() throws {
        let names = (1...5_000).map { "column_\($0)_" + String(repeating: "z", count: 100) }
        do {
            _ = try ColumnLayout.from(header: names, source: "f.csv")
            Issue.record("the required columns are missing")
        } catch {
            #expect(String(describing: error).count < 2_000)
        }
    }

    @Test func aLastLineWithoutALineEndIsWarnedAbout() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let csv = header + "Ann,1,1.00,2023-12-01,transfer,1\nBob,2,1.00,2023-12-01,transfer,2"
        let checked = try IngestFixtures.ingest(database, csv) { $0.dryRun = true }
        #expect(checked.warnings.contains { $0.contains("line 3") && $0.contains("no line end") })
        let loaded = try IngestFixtures.ingest(database, csv)
        #expect(loaded.warnings.contains { $0.contains("no line end") })
        #expect(loaded.text.contains("no line end"))
        let complete = try IngestFixtures.ingest(database, csv + "0\n")
        #expect(!complete.warnings.contains { $0.contains("no line end") })
    }

    @Test func signsAreHandledAlikeInEveryNumber() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let csv = header + "Ann,+1,+5.00,2023-12-01,transfer,+2\nBob,-2,1.00,2023-12-01,transfer,1\nCid,3,-1.00,2023-12-01,transfer,1\nDee,4,1.00,2023-12-01,transfer,-1\n"
        let summary = try IngestFixtures.ingest(database, csv) { $0.maxRejects = .count(5) }
        #expect((summary.inserted, summary.rejected) == (1, 3))
        #expect(try IngestFixtures.facts(try database.connect()) == ["1|Ann|transfer|2023-12-01|5.00|2"])
    }

    @Test func messagesSayWhatIsActuallyWrong() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let csv = header + "Ann,9223372036854775808,1.00,2023-12-01,transfer,1\nBob,2,1.00,0001-01-01,transfer,1\nCid,3,1.00,2023-02-30,transfer,1\n"
            + "Eve,4,1.00,2023-12-01,transfer,1\n"
        let summary = try IngestFixtures.ingest(database, csv) { $0.maxRejects = .count(5) }
        let reasons = summary.firstRejects.map(\.reason)
        #expect(reasons.count == 3)
        #expect(reasons[0].contains("too large"), "2^63 is an integer, just too large: \(reasons[0])")
        #expect(reasons[1].contains("1000") && !reasons[1].contains("not a real"), "0001-01-01 is real, but out of range: \(reasons[1])")
        #expect(reasons[2].contains("not a real calendar date"))
    }

    @Test func aTruncatedGzipFileLeavesAFailedBatch() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let rows = (1...20_000).map { "Customer \($0 % 50),\($0),1.00,2023-12-01,transfer,1" }.joined(separator: "\n")
        let plain = try IngestFixtures.file(header + rows + "\n")
        let gzip = try IngestFixtures.gzip(plain, keepBytes: 20000)
        #expect(throws: (any Error).self) { try Ingestor(connection: try database.connect()).ingest(path: gzip.path) }
        let batches = try database.connect().execute("select status, source from ops.load_batches").rows
        #expect(batches.count == 1)
        #expect(try batches.first?.string("status") == "failed")
    }

    @Test func aFIFOIsReadOnceLikeStandardInput() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("orders.csv").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let csv = header + "Ann,1,1.00,2023-12-01,transfer,1\nBob,2,2.00,2023-12-02,transfer,1\nAnn,2,2.00,2023-12-02,transfer,1\n"
        // One writer, once: a second open of the FIFO would wait for a writer that never comes.
        let writer = Thread {
            let handle = FileHandle(forWritingAtPath: fifo)
            handle?.write(Data(csv.utf8))
            try? handle?.close()
        }
        writer.start()
        let summary = try Ingestor(connection: try database.connect(), options: {
            var options = IngestOptions()
            options.maxRejects = .count(5)
            return options
        }()).ingest(path: fifo)
        #expect((summary.rowsRead, summary.inserted, summary.rejected) == (3, 1, 2), "order 2 repeats with different values")
    }

    @Test func spillAndSpoolFilesArePrivateAndStaleOnesAreCleared() throws {
        let temporary = FileManager.default.temporaryDirectory
        // A spool left by a process that no longer exists (pid 2^22 + 7 is beyond pid_max's default).
        let stale = temporary.appendingPathComponent("warehouse-stdin-4194311-\(UUID().uuidString).csv")
        _ = FileManager.default.createFile(atPath: stale.path, contents: Data("old".utf8))
        let spool = try InputSpool()
        #expect(!FileManager.default.fileExists(atPath: stale.path), "a dead process's spool is removed")
        let mode = try FileManager.default.attributesOfItem(atPath: spool.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let log = RejectLog(spillThreshold: 16)
        for line in 1...10 { try log.add(line: line, column: nil, reason: "bad", raw: "raw row \(line)") }
        let spills = try FileManager.default.contentsOfDirectory(atPath: temporary.path)
            .filter { $0.hasPrefix("warehouse-rejects-\(getpid())-") }
        #expect(spills.isEmpty, "the reject spill has no name on disk, so nothing of it outlives the process")
    }
}
