import ArgumentParser
import WarehouseKit

extension Warehouse.DB {
    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop the embedded cluster.",
            discussion: """
                A fast shutdown: open sessions are rolled back, everything committed is kept. \
                Any later command that needs the database starts it again.
                """)

        @OptionGroup var options: ClusterOptions

        func run() async throws {
            let wasRunning = try options.cluster.stop()
            print(wasRunning ? "Stopped the embedded PostgreSQL." : "The embedded PostgreSQL was not running.")
        }
    }
}
