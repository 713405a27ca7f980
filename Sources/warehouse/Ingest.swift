import ArgumentParser
import Foundation
import WarehouseKit

extension Warehouse {
    struct Ingest: AsyncParsableCommand, JSONReporting {
        static let configuration = CommandConfiguration(
            abstract: "Load a daily snapshot (CSV, CSV.gz or - for stdin) into the star schema.",
            discussion: """
                Validates every row, lands the valid ones with COPY and merges them in one transaction: \
                the warehouse shows the whole file or none of it. Rejected rows are kept in \
                ops.rejected_rows with their line and reason. The same content loaded twice changes nothing. \
                A snapshot lacking more than 5% of the known orders is refused unless --allow-shrink.
                """)

        @OptionGroup var options: GlobalOptions
        @OptionGroup var load: LoadOptions

        @Argument(help: ArgumentHelp("The CSV file (plain or gzip), or - for standard input.", valueName: "file"))
        var file: String

        @Flag(help: "Re-merge even when this exact content was loaded before.")
        var force = false

        @OptionGroup var output: OutputFormatOption

        var wantsJSON: Bool { output.isJSON }

        func validate() throws { try load.validate(file: file) }

        func run() async throws {
            let connection = try options.connectReady()
            var ingestOptions = load.ingestOptions
            ingestOptions.force = force
            ingestOptions.knownOrdersDirectory = options.settings.home.appendingPathComponent("cache")
            let reporter = ProgressReporter(enabled: !options.quiet && !output.isJSON)
            let summary: IngestSummary
            do {
                defer { reporter.clear() }
                summary = try WarehouseKit.Ingestor(connection: connection, options: ingestOptions, progress: reporter.update)
                    .ingest(path: file)
            }
            print(output.isJSON ? try summary.jsonText() : summary.text)
        }
    }
}

/// The options `ingest` and `check` share.
struct LoadOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Refuse the whole file when more rows than this are rejected: a count, or a share like 5%.", valueName: "n|n%"))
    var maxRejects: String = RejectLimit.default.description

    @Flag(help: "The file holds only new and changed orders: no missing count, no shrink guard.")
    var incremental = false

    @Flag(help: "Accept a snapshot that lacks more than 5% of the known orders.")
    var allowShrink = false

    func validate(file: String) throws {
        guard RejectLimit(maxRejects) != nil else {
            throw ValidationError("--max-rejects takes a count (e.g. 100) or a share (e.g. 5%), got '\(maxRejects)'")
        }
        if file != "-" {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
                throw ValidationError("\(file): no such file")
            }
            guard !isDirectory.boolValue else { throw ValidationError("\(file): is a directory, not a file") }
        }
    }

    var ingestOptions: IngestOptions {
        var options = IngestOptions()
        options.maxRejects = RejectLimit(maxRejects) ?? .default
        options.incremental = incremental
        options.allowShrink = allowShrink
        return options
    }
}
