import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// A file is read once before loading (to skip it when it is the snapshot the warehouse reflects)
/// only when it may be that snapshot: the same size, or a size not known in advance (gzip) or not
/// recorded (batches before migration 0016). Whatever the path, the same content is skipped and
/// different content of the same size is loaded.
@Suite(.blockingWork) struct RedeliveryFingerprintTests {
    let header = IngestFixtures.header

    private func contentBytes(_ connection: PostgresConnection, batch: Int?) throws -> Int? {
        try connection.execute("select content_bytes from ops.load_batches where batch_id = \(try #require(batch))").single()["content_bytes"].flatMap { Int($0) }
    }

    @Test func onlyAFileOfTheReflectedSnapshotsSizeIsFingerprintedFirst() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let connection = try database.connect()
        let ledger = LoadBatchLedger(connection: connection)
        #expect(try !ledger.mayReflect(contentBytes: 100, mode: "snapshot"))

        let a = header + "Ann Lee,1,10.00,2023-12-01,transfer,2\nBob Ray,2,5.50,2023-12-02,lounge,1\n"
        let first = try IngestFixtures.ingest(database, a)
        #expect(first.outcome == .loaded)
        #expect(try contentBytes(connection, batch: first.batchID) == a.utf8.count)
        #expect(try ledger.mayReflect(contentBytes: a.utf8.count, mode: "snapshot"))
        #expect(try ledger.mayReflect(contentBytes: nil, mode: "snapshot"))
        #expect(try !ledger.mayReflect(contentBytes: a.utf8.count + 1, mode: "snapshot"))
        #expect(try !ledger.mayReflect(contentBytes: a.utf8.count, mode: "incremental"))

        // The same size, another price: fingerprinted first, and loaded.
        let b = a.replacingOccurrences(of: "10.00", with: "20.00")
        #expect(b.utf8.count == a.utf8.count)
        let changed = try IngestFixtures.ingest(database, b)
        #expect(changed.outcome == .loaded)
        #expect(changed.updated == 1)
        #expect(try IngestFixtures.ingest(database, b).outcome == .alreadyLoaded)

        // Another size: read once, while loading; sent again it is skipped as before.
        let c = b + "Cy Dee,3,1.00,2023-12-03,transfer,1\n"
        let grown = try IngestFixtures.ingest(database, c)
        #expect(grown.outcome == .loaded)
        #expect(grown.inserted == 1)
        #expect(try contentBytes(connection, batch: grown.batchID) == c.utf8.count)
        let again = try IngestFixtures.ingest(database, c)
        #expect(again.outcome == .alreadyLoaded)
        #expect(again.duplicateOfBatchID == grown.batchID)

        // A batch loaded before migration 0016 has no size: its file is fingerprinted first.
        try connection.execute("update ops.load_batches set content_bytes = null where batch_id = \(try #require(grown.batchID))")
        #expect(try ledger.mayReflect(contentBytes: c.utf8.count + 7, mode: "snapshot"))
        #expect(try IngestFixtures.ingest(database, c).outcome == .alreadyLoaded)

        // An earlier, smaller file sent again is a normal load: it reverts.
        let reverted = try IngestFixtures.ingest(database, a) { $0.allowShrink = true }
        #expect(reverted.outcome == .loaded)
        #expect((reverted.updated, reverted.removed) == (1, 1))
        #expect(try IngestFixtures.facts(connection) == ["1|Ann Lee|transfer|2023-12-01|10.00|2", "2|Bob Ray|lounge|2023-12-02|5.50|1"])
    }

    @Test func aGzipFilesSizeIsItsDecompressedContent() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let connection = try database.connect()
        let csv = header + (1...200).map { "Customer \($0 % 7),\($0),\($0).25,2023-12-0\($0 % 9 + 1),transfer,1\n" }.joined()
        let plain = try IngestFixtures.file(csv)
        let gzip = try IngestFixtures.gzip(plain)
        #expect(Ingestor.plainSize(gzip.path) == nil)
        #expect(Ingestor.plainSize(plain.path) == csv.utf8.count)

        let loaded = try Ingestor(connection: try database.connect()).ingest(path: gzip.path)
        #expect(loaded.outcome == .loaded)
        #expect(try contentBytes(connection, batch: loaded.batchID) == csv.utf8.count)
        // The same content, compressed or not, is the snapshot the warehouse reflects.
        #expect(try Ingestor(connection: try database.connect()).ingest(path: gzip.path).outcome == .alreadyLoaded)
        #expect(try Ingestor(connection: try database.connect()).ingest(path: plain.path).outcome == .alreadyLoaded)
    }
}
