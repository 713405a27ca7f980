import ArgumentParser
import Foundation
import WarehouseKit

extension Warehouse.DB {
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the embedded cluster if needed and start it.",
            discussion: "Waits until it accepts connections, then prints its URL. A running cluster is left as it is.")

        @OptionGroup var options: ClusterOptions

        func run() async throws {
            let running = try options.cluster.startIfNeeded()
            let what = running.wasInitialized ? "Created and started"
                : running.wasStarted ? "Started" : "Already running:"
            print("\(what) the embedded PostgreSQL in \(running.layout.dataDirectory.path)")
            print("URL: \(running.url)")
        }
    }
}
