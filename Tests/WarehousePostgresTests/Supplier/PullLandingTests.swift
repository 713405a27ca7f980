import Foundation
import Testing
@testable import WarehouseKit
import WarehouseFakeSupplier
import WarehouseTestSupport

/// The landing folder holds every order the supplier sent (names, prices): only its owner reads it.
@Suite("Pull: landing files are private", .blockingWork)
struct PullLandingTests {
    private func permissions(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int) & 0o777
    }

    /// Every file and folder under `<home>/landing`, with its permission bits.
    private func landed(_ f: PullFixture) throws -> (folders: [String: Int], files: [String: Int]) {
        let root = f.home.appendingPathComponent("landing").path
        var folders = [root: try permissions(root)]
        var files: [String: Int] = [:]
        for relative in try FileManager.default.subpathsOfDirectory(atPath: root) {
            let path = root + "/" + relative
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            if isFolder.boolValue { folders[path] = try permissions(path) } else { files[path] = try permissions(path) }
        }
        return (folders, files)
    }

    @Test func pagesCSVsAndDownloadsAre0600In0700Folders() async throws {
        try await PullFixture.with { f in
            // A landing folder an earlier version made, open to everyone: tightened, not kept.
            let root = f.home.appendingPathComponent("landing")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            f.supplier.put(PullFixture.orders(1...25))
            let first = try await f.pull()
            let day = try #require(first.csvFile.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path })
            #expect(try permissions(day) == 0o700)
            // The day's folder, loosened by hand, is tightened by the next pull.
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: day)

            // An order that changes during the pull comes twice: the CSV is rewritten.
            func order(_ id: Int, _ at: String) -> String {
                #"{"order_id": \#(id), "customer_name": "Ann", "price": 10, "order_date": "2023-12-01", "#
                    + #""product_id": "lounge", "passenger_count": 1, "updated_at": "\#(at)"}"#
            }
            f.supplier.misbehave(
                .body(#"{"orders": [\#(order(30, "2023-12-03T08:00:00Z"))], "next_cursor": "x"}"#),
                .body(#"{"orders": [\#(order(30, "2023-12-03T08:00:01Z"))], "next_cursor": null}"#))
            #expect(try await f.pull().superseded == 1)

            f.supplier.setCSV("customer_name,order_id,price,order_date,product_id,passenger_count\nAnn,1,1.50,2023-12-01,lounge,2\n")
            let download = try await f.pull(configuration: SupplierConfiguration(baseURL: nil, csvURL: f.supplier.csvURL, token: nil)) {
                $0.allowShrink = true
            }
            #expect(download.csvFile != nil)

            let (folders, files) = try landed(f)
            #expect(folders.count == 2, "landing and one day: \(folders)")
            #expect(folders.values.allSatisfy { $0 == 0o700 }, "\(folders.mapValues { String($0, radix: 8) })")
            #expect(files.count >= 3 + 2 + 1 + 2, "pages and CSVs of three pulls: \(files.keys.sorted())")
            #expect(files.values.allSatisfy { $0 == 0o600 }, "\(files.mapValues { String($0, radix: 8) })")
        }
    }

    @Test func aFailedPullsEvidenceIsPrivateToo() async throws {
        try await PullFixture.with { f in
            f.supplier.put(PullFixture.orders(1...25))
            f.supplier.misbehave(.normal, .truncatedJSON)
            await #expect(throws: SupplierError.self) { _ = try await f.pull() }
            let (folders, files) = try landed(f)
            #expect(files.count == 2, "the two pages received: \(files.keys.sorted())")
            #expect(folders.values.allSatisfy { $0 == 0o700 }, "\(folders.mapValues { String($0, radix: 8) })")
            #expect(files.values.allSatisfy { $0 == 0o600 }, "\(files.mapValues { String($0, radix: 8) })")
        }
    }
}
