import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// `warehouse db …` as processes, on an embedded cluster in a temporary home.
@Suite(.serialized, .blockingWork) struct DBCommandTests {
    @Test func startUrlStatusStop() throws {
        let home = try TestSupport.temporaryDirectory("wh-cli-db")
        defer {
            _ = try? WarehouseCLI.run(["db", "stop", "--home", home.path])
            try? FileManager.default.removeItem(at: home)
        }
        let before = try WarehouseCLI.run(["db", "status", "--home", home.path])
        #expect(before.status == 3)
        #expect(before.standardOutput.contains("not created yet"))

        let expectedURL = try WarehouseCLI.run(["db", "url", "--no-start", "--home", home.path])
        #expect(expectedURL.status == 0)
        #expect(expectedURL.standardOutput.hasPrefix("postgresql:///warehouse?host=/"))

        // Two processes starting a new cluster at once: one creates it, the other waits and reuses it.
        let starts = [
            try WarehouseCLI.start(["db", "start", "--home", home.path]),
            try WarehouseCLI.start(["db", "start", "--home", home.path]),
        ].map { $0.wait() }
        for outcome in starts { #expect(outcome.status == 0, "\(outcome.standardError)") }
        #expect(starts.filter { $0.standardOutput.hasPrefix("Created and started") }.count == 1, "\(starts.map(\.standardOutput))")
        #expect(starts.filter { $0.standardOutput.hasPrefix("Already running") }.count == 1)

        let url = try WarehouseCLI.run(["db", "url", "--home", home.path])
        #expect(url.status == 0)
        #expect(url.standardOutput == expectedURL.standardOutput)
        let connection = try PostgresConnection(conninfo: url.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(try connection.execute("select current_database() as db").single().string("db") == "warehouse")

        let status = try WarehouseCLI.run(["db", "status", "--home", home.path])
        #expect(status.status == 0)
        #expect(status.standardOutput.contains("Embedded cluster: running"))

        // A new embedded cluster holds no schema either: `status` says so and exits 78.
        let overall = try WarehouseCLI.run(["status", "--home", home.path])
        #expect(overall.status == 78, "\(overall.standardError)")
        #expect(overall.standardOutput.contains("embedded cluster in \(home.path)"))
        #expect(overall.standardOutput.contains("not migrated"))

        let stop = try WarehouseCLI.run(["db", "stop", "--home", home.path])
        #expect(stop.standardOutput.contains("Stopped"))
        let after = try WarehouseCLI.run(["db", "status", "--home", home.path])
        #expect(after.status == 3)
        #expect(after.standardOutput.contains("Embedded cluster: stopped"))
    }

    @Test func helpSaysDBIsAboutTheEmbeddedClusterOnly() throws {
        let help = try WarehouseCLI.run(["db", "--help"])
        #expect(help.standardOutput.contains("embedded"))
        #expect(help.standardOutput.contains("ignore"))
        for subcommand in ["start", "stop", "status", "url", "reset"] {
            #expect(help.standardOutput.contains(subcommand))
        }
    }
}
