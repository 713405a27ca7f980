import ArgumentParser
import Foundation
import WarehouseKit

extension Warehouse {
    struct Check: AsyncParsableCommand, JSONReporting {
        static let configuration = CommandConfiguration(
            abstract: "Validate a file and show what ingest would do, without changing the warehouse.",
            discussion: """
                Runs the whole load in a transaction that is rolled back: rows, rejects with line numbers \
                and reasons, new/changed/unchanged/missing. Exits non-zero when ingest would refuse the file.
                """)

        @OptionGroup var options: GlobalOptions
        @OptionGroup var load: LoadOptions

        @Argument(help: ArgumentHelp("The CSV file (plain or gzip), or - for standard input.", valueName: "file"))
        var file: String

        @OptionGroup var output: OutputFormatOption

        var wantsJSON: Bool { output.isJSON }

        func validate() throws { try load.validate(file: file) }

        func run() async throws {
            let connection = try options.connectReady()
            var ingestOptions = load.ingestOptions
            ingestOptions.dryRun = true
            // Read only: a check uses the known orders' local copy when it is current, never writes it.
            ingestOptions.knownOrdersDirectory = options.settings.home.appendingPathComponent("cache")
            let summary = try WarehouseKit.Ingestor(connection: connection, options: ingestOptions).ingest(path: file)
            print(output.isJSON ? try summary.jsonText() : summary.text)
        }
    }
}
