import ArgumentParser
import Foundation
import Logging
import WarehouseKit

extension Warehouse {
    struct Pull: AsyncParsableCommand, JSONReporting {
        static let configuration = CommandConfiguration(
            abstract: "Pull new and changed orders from the supplier's REST API and load them as one batch.",
            discussion: """
                Asks GET {url}/orders for the orders changed since the last successful pull (the high-water \
                mark in ops.api_sync_state), page by page. Every raw page and a CSV of all of them are kept \
                under <home>/landing/<date>/; the CSV then loads like `warehouse ingest --incremental` in one \
                transaction, with the mark. Any page that fails (after retries) means nothing is loaded. \
                URL and token: --url/--token-file, else WAREHOUSE_SUPPLIER_URL/WAREHOUSE_SUPPLIER_TOKEN, \
                else <home>/supplier.json. See docs/supplier-api.md.
                """)

        @OptionGroup var options: GlobalOptions

        @Option(help: ArgumentHelp("The supplier API's base URL (default: WAREHOUSE_SUPPLIER_URL, then \"url\" in <home>/supplier.json).",
                                   valueName: "url"))
        var url: String?

        @Option(name: .customLong("csv-url"), help: ArgumentHelp(
            "Download this CSV snapshot instead of calling the API, and load it as a full snapshot.", valueName: "url"))
        var csvURL: String?

        @Option(help: ArgumentHelp("A file holding the bearer token (default: none; the token is then WAREHOUSE_SUPPLIER_TOKEN's value, else read from the file \"token_file\" names in <home>/supplier.json).",
                                   valueName: "path"))
        var tokenFile: String?

        @Flag(help: "Ignore the high-water mark: fetch every order and load them as a full snapshot.")
        var full = false

        @Option(help: ArgumentHelp("Orders asked for per page.", valueName: "n"))
        var pageSize = 1000

        @Option(help: ArgumentHelp("Seconds allowed to open the connection.", valueName: "seconds"))
        var connectTimeout = 10.0

        @Option(help: ArgumentHelp("Seconds the server may stay silent, before and during a response.", valueName: "seconds"))
        var readTimeout = 60.0

        @Option(help: ArgumentHelp("Seconds one request may take in all, however steadily the bytes come (raise it for a large --csv-url).",
                                   valueName: "seconds"))
        var requestDeadline = 300.0

        @Option(help: ArgumentHelp("Requests per page before giving up (network errors, timeouts, 429 and 5xx are retried).", valueName: "n"))
        var maxAttempts = 5

        @Option(help: ArgumentHelp("Refuse the whole pull when more rows than this are rejected: a count, or a share like 5%.", valueName: "n|n%"))
        var maxRejects: String = RejectLimit.default.description

        @Flag(help: "With --full or --csv-url: accept a snapshot that lacks more than 5% of the known orders.")
        var allowShrink = false

        @Option(help: ArgumentHelp("Keep running: pull now, then every period (e.g. 30m, 24h), never two at once.", valueName: "period"))
        var every: String?

        @OptionGroup var output: OutputFormatOption

        var wantsJSON: Bool { output.isJSON }

        func validate() throws {
            if url != nil, csvURL != nil { throw ValidationError("--url and --csv-url exclude each other") }
            if full, csvURL != nil { throw ValidationError("--full is implied by --csv-url (a CSV download is always a full snapshot)") }
            guard (1...100_000).contains(pageSize) else { throw ValidationError("--page-size must be between 1 and 100000") }
            guard connectTimeout > 0, readTimeout > 0, requestDeadline > 0 else {
                throw ValidationError("--connect-timeout, --read-timeout and --request-deadline must be positive")
            }
            guard (1...100).contains(maxAttempts) else { throw ValidationError("--max-attempts must be between 1 and 100") }
            guard RejectLimit(maxRejects) != nil else {
                throw ValidationError("--max-rejects takes a count (e.g. 100) or a share (e.g. 5%), got '\(maxRejects)'")
            }
            if let every, PullInterval(every) == nil {
                throw ValidationError("--every takes a period like 90s, 30m, 24h, 1d or 1h30m, got '\(every)'")
            }
        }

        func run() async throws {
            var logger = Logger(label: "warehouse.pull")
            logger.logLevel = options.quiet ? .warning : .info
            let settings = options.settings
            let pullOptions = pullOptions
            let (url, csvURL, tokenFile) = (url, csvURL, tokenFile)
            let resolve: @Sendable () throws -> SupplierConfiguration = {
                try SupplierConfiguration.resolve(url: url, csvURL: csvURL, tokenFile: tokenFile, home: settings.home)
            }

            if let every, let period = PullInterval(every) {
                _ = try resolve()  // wrong settings fail now, not at the first run
                _ = try options.connectReady()  // so does an unmigrated database
                let scheduler = PullScheduler(every: period.duration, logger: logger,
                                              job: PullScheduler.pullJob(settings: settings, options: pullOptions, logger: logger, configuration: resolve))
                await scheduler.run()
                return
            }

            let supplier = try resolve()
            let globalOptions = options
            let database = DatabaseSession(name: "wh-pull") { try globalOptions.connectReady() }
            try await database.open()
            let reporter = ProgressReporter(enabled: !options.quiet && !output.isJSON)
            var runOptions = pullOptions
            runOptions.progress = { reporter.update($0) }
            let summary: PullSummary
            do {
                summary = try await Puller(database: database, configuration: supplier, landing: LandingArea(home: settings.home),
                                           options: runOptions, logger: logger).pull()
            } catch {
                reporter.clear()
                await PullScheduler.recordHealth(settings: settings, supplier: supplier, failure: error, logger: logger)
                throw error
            }
            reporter.clear()
            await PullScheduler.recordHealth(settings: settings, supplier: supplier, failure: nil, logger: logger)
            print(output.isJSON ? try summary.jsonText() : summary.text)
        }

        private var pullOptions: PullOptions {
            var pull = PullOptions()
            pull.full = full
            pull.pageSize = pageSize
            pull.timeouts = SupplierClient.Timeouts(connect: .milliseconds(Int(connectTimeout * 1000)), read: .milliseconds(Int(readTimeout * 1000)),
                                                    deadline: .milliseconds(Int(requestDeadline * 1000)))
            pull.retry.maximumAttempts = maxAttempts
            pull.maxRejects = RejectLimit(maxRejects) ?? .default
            pull.allowShrink = allowShrink
            return pull
        }
    }
}
