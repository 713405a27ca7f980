import ArgumentParser
import Foundation
import WarehouseKit

extension Warehouse {
    struct Freshness: AsyncParsableCommand, JSONReporting {
        static let configuration = CommandConfiguration(
            abstract: "Exit non-zero when the last successful load or pull is older than --max-age.",
            discussion: """
                For schedulers and monitors, as dbt's source freshness: exits 0 when the last load \
                that succeeded (or found the supplier's data unchanged) finished within --max-age, \
                75 when it is older or there never was one. Ages are measured on the database's \
                clock. Only reads: works on a read-only standby.
                """)

        @OptionGroup var options: GlobalOptions
        @OptionGroup var output: OutputFormatOption
        @OptionGroup var age: FreshnessOptions

        var wantsJSON: Bool { output.isJSON }

        func validate() throws { try age.validate() }

        func run() async throws {
            let connection = try options.connectReady()
            let freshness = try WarehouseKit.Freshness.check(on: connection, maxAgeSeconds: age.maxAgeSeconds, referenceTime: age.now)
            if output.isJSON {
                print(try encodeJSON(FreshnessReport(freshness, statesVerdict: true)))
            } else if !freshness.isFresh || !options.quiet {
                print(freshness.summary)
            }
            if !freshness.isFresh { throw ExitCode(ExitStatus.stale.rawValue) }
        }
    }
}
