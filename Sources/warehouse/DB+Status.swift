import ArgumentParser
import WarehouseKit

extension Warehouse.DB {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show whether the embedded cluster runs, where its files are, and its URL.",
            discussion: "Exits with status 3 when the cluster is not running (as pg_ctl status does), 0 when it is.")

        @OptionGroup var options: ClusterOptions

        func run() async throws {
            let status = try options.cluster.status()
            status.summary.forEach { print($0) }
            if !status.isAcceptingConnections { throw ExitCode(3) }
        }
    }
}
