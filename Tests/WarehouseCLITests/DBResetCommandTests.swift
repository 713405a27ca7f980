import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// `warehouse db reset` as a process: without --yes it lists and deletes nothing; with it the
/// running cluster is stopped and its folders go, wherever they live, and the next start is empty.
@Suite(.serialized, .blockingWork) struct DBResetCommandTests {
    /// Runs the round trip on a cluster in `home`; returns the folder its data lived in.
    static func roundTrip(home: URL) throws -> URL {
        let started = try WarehouseCLI.run(["db", "start", "--home", home.path])
        #expect(started.status == 0, "\(started.standardError)")
        let url = try WarehouseCLI.run(["db", "url", "--home", home.path]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        try PostgresConnection(conninfo: url).execute("create table public.loaded_before_reset (id integer)")
        // What a load leaves beside the cluster: the known orders' local copy.
        let cache = home.appendingPathComponent("cache", isDirectory: true)
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        try Data("copy".utf8).write(to: cache.appendingPathComponent("known-orders"))
        // "Created and started the embedded PostgreSQL in <data folder>", then the URL.
        let firstLine = try #require(started.standardOutput.split(separator: "\n").first.map(String.init))
        let dataFolder = try #require(firstLine.components(separatedBy: " in ").last)

        let refused = try WarehouseCLI.run(["db", "reset", "--home", home.path])
        #expect(refused.status == 64)
        #expect(refused.standardOutput.contains("Would delete:"))
        #expect(refused.standardError.contains("--yes"), "\(refused.standardError)")
        #expect(try PostgresConnection(conninfo: url).execute("select to_regclass('public.loaded_before_reset')::text as t").single().string("t") == "loaded_before_reset")

        let reset = try WarehouseCLI.run(["db", "reset", "--yes", "--home", home.path])
        #expect(reset.status == 0, "\(reset.standardError)")
        #expect(reset.standardOutput.contains("Stopped the embedded PostgreSQL."))
        let deleted = reset.standardOutput.split(separator: "\n").filter { $0.hasPrefix("Deleted ") }.map { String($0.dropFirst("Deleted ".count)) }
        #expect(deleted.contains(cache.path))
        #expect(deleted.contains { dataFolder.hasPrefix($0 + "/") }, "the data folder \(dataFolder) is under one of \(deleted)")
        for path in deleted { #expect(!FileManager.default.fileExists(atPath: path), "\(path) is gone") }
        let status = try WarehouseCLI.run(["db", "status", "--home", home.path])
        #expect(status.status == 3)
        #expect(status.standardOutput.contains("not created yet"), "\(status.standardOutput)")

        let again = try WarehouseCLI.run(["db", "start", "--home", home.path])
        #expect(again.standardOutput.hasPrefix("Created and started"), "\(again.standardOutput)")
        #expect(try PostgresConnection(conninfo: url).execute("select to_regclass('public.loaded_before_reset') is null as gone").single().string("gone") == "t")
        return URL(fileURLWithPath: dataFolder)
    }

    @Test func resetDeletesOnlyWithYesAndTheNextStartIsEmpty() throws {
        let home = try TestSupport.temporaryDirectory("wh-cli-reset")
        defer {
            _ = try? WarehouseCLI.run(["db", "reset", "--yes", "--home", home.path])
            try? FileManager.default.removeItem(at: home)
        }
        let data = try Self.roundTrip(home: home)
        #expect(data.path.hasPrefix(home.path + "/"))
    }

    /// As root, a home the server's account cannot enter puts the cluster in /var/tmp: deleting the
    /// home alone would leave it there, so reset deletes that folder too.
    @Test(.enabled(if: getuid() == 0, "only root relocates the cluster"))
    func resetDeletesARelocatedCluster() throws {
        let parent = try TestSupport.temporaryDirectory("wh-cli-reset-private")
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: parent.path)
        let home = parent.appendingPathComponent("home", isDirectory: true)
        defer {
            _ = try? WarehouseCLI.run(["db", "reset", "--yes", "--home", home.path])
            try? FileManager.default.removeItem(at: parent)
        }
        let data = try Self.roundTrip(home: home)
        #expect(data.path.hasPrefix("/var/tmp/warehouse-"), "\(data.path)")
    }
}
