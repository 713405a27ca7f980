import ArgumentParser
import WarehouseKit

extension Warehouse.DB {
    struct URLCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "url",
            abstract: "Print the embedded cluster's connection URL (starting it if needed).",
            discussion: """
                For psql and other libpq tools: psql "$(warehouse db url)". The URL names the socket \
                folder; there is no password. Use --conninfo for the key=value form.
                """)

        @OptionGroup var options: ClusterOptions

        @Flag(help: "Print a libpq key=value conninfo string instead of a URL.")
        var conninfo = false

        @Flag(name: .customLong("no-start"), help: "Print the URL without starting the cluster.")
        var noStart = false

        func run() async throws {
            let cluster = options.cluster
            if noStart {
                let parameters = try cluster.connectionParameters()
                print(conninfo ? parameters.conninfo : parameters.url)
            } else {
                let running = try cluster.startIfNeeded()
                print(conninfo ? running.conninfo : running.url)
            }
        }
    }
}
