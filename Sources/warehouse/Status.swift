import ArgumentParser
import Foundation
import WarehouseKit
import WarehouseServer

extension Warehouse {
    struct Status: AsyncParsableCommand, JSONReporting {
        static let configuration = CommandConfiguration(
            abstract: "Show the target database, its migrations, the last loads, row counts and an integrity check.",
            discussion: """
                Works on any database, migrated or not, and on a read-only standby: nothing is \
                created or changed. Also says whether the data is fresh (the last successful load \
                within --max-age). Exits with status 78 when the database is not migrated (or only \
                partly, or by a newer build), 1 when the integrity check finds orphan facts; stale \
                data is shown, not an error (see `warehouse freshness`).
                """)

        @OptionGroup var options: GlobalOptions
        @OptionGroup var output: OutputFormatOption
        @OptionGroup var age: FreshnessOptions

        var wantsJSON: Bool { output.isJSON }

        func validate() throws { try age.validate() }

        func run() async throws {
            let settings = options.settings
            let connection: PostgresConnection
            var report = StatusReport()
            if settings.source == .embedded {
                let running = try settings.embeddedCluster.startIfNeeded()
                report.target = "\(running.url) (embedded cluster in \(settings.home.path))"
                connection = try PostgresConnection(conninfo: running.conninfo)
            } else {
                report.target = settings.displayName
                connection = try settings.connect()
            }
            try report.read(from: connection, maxAgeSeconds: age.maxAgeSeconds, referenceTime: age.now)
            print(output.isJSON ? try encodeJSON(report) : report.text)
            if report.schema != "current" {
                FileHandle.standardError.write(Data("Error: \(report.schemaMessage)\n".utf8))
                throw ExitCode(ExitStatus.schemaNotReady.rawValue)
            }
            if report.integrity?.ok == false { throw ExitCode.failure }
        }
    }
}

/// `--max-age` and the hidden `--now`, shared by `freshness` and `status`.
struct FreshnessOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The data is stale when the last successful load or pull finished longer ago than this: 36h, 90m, 2d, or hours.",
        valueName: "duration"))
    var maxAge = "36h"

    /// Measure ages to this moment instead of the database's clock (ISO 8601): for tests.
    @Option(help: .hidden)
    var now: String?

    func validate() throws {
        guard StaleThreshold.seconds(maxAge) != nil else {
            throw ValidationError("--max-age takes a duration such as 36h, 90m or 2d, got '\(maxAge)'")
        }
    }

    var maxAgeSeconds: Double { StaleThreshold.seconds(maxAge) ?? 36 * 3_600 }
}
