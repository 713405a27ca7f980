import ArgumentParser
import Foundation
import WarehouseKit

extension Warehouse.DB {
    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete the embedded cluster and everything loaded into it (needs --yes).",
            discussion: """
                Stops the server if it runs, then deletes its folder (data, log, socket; also when \
                it was relocated to /var/tmp) and the local copy of the known orders in the home's \
                cache folder. The next command that needs the database creates an empty cluster. \
                Without --yes it only lists what it would delete and exits with status 64. A server \
                reached through --database-url or DATABASE_URL is never touched.
                """)

        @OptionGroup var options: ClusterOptions

        @Flag(help: "Delete, rather than list what would be deleted.")
        var yes = false

        func run() async throws {
            let cluster = options.cluster
            let targets = cluster.resetTargets
            guard !targets.isEmpty else {
                print("Nothing to delete: no embedded cluster for \(cluster.home.path).")
                return
            }
            guard yes else {
                print("Would delete:")
                targets.forEach { print("  \($0.path)") }
                throw ValidationError("nothing was deleted: add --yes to delete the embedded warehouse and everything loaded into it")
            }
            let outcome = try cluster.reset()
            if outcome.wasRunning { print("Stopped the embedded PostgreSQL.") }
            outcome.deleted.forEach { print("Deleted \($0.path)") }
        }
    }
}
