import ArgumentParser
import Logging
import Foundation
import WarehouseKit
import WarehouseServer

extension Warehouse {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the three reports, headline figures, a daily trend and the last load in a browser (read-only).",
            discussion: """
                Serves one page at / with server-drawn charts (no scripts, nothing fetched from elsewhere), \
                CSV downloads, JSON under /api/, /healthz for monitors and /metrics for Prometheus. It only reads: every \
                connection is read-only, and it never migrates: it refuses to start until `warehouse migrate` has run. \
                It listens on 127.0.0.1 unless told otherwise; any other address needs --token \
                (or WAREHOUSE_DASHBOARD_TOKEN) or --insecure-no-token. Details: docs/dashboard.md.
                """)

        @OptionGroup var options: GlobalOptions

        @Option(help: ArgumentHelp("The address to listen on: an IP address or localhost.", valueName: "address"))
        var host = "127.0.0.1"

        @Option(help: ArgumentHelp("The TCP port (0 picks a free one).", valueName: "port"))
        var port = 8080

        @Option(help: ArgumentHelp(
            "Require this access token (Authorization: Bearer, or sign in at /login). Default: WAREHOUSE_DASHBOARD_TOKEN; prefer it, as options show in the process list.",
            valueName: "token"))
        var token: String?

        @Flag(help: "Allow a non-loopback --host without a token: anyone who can reach the port sees the data.")
        var insecureNoToken = false

        @Option(help: ArgumentHelp(
            "Flag the data as stale when the last load is older than this: 36h, 90m, 2d, or hours.",
            valueName: "duration"))
        var staleAfter = "36h"

        @Option(help: ArgumentHelp("Database connections, i.e. requests served at once.", valueName: "n"))
        var connections = 4

        @Flag(help: "Read every figure afresh on every request instead of keeping results until the next load.")
        var noCache = false

        @Option(help: ArgumentHelp(
            "Also pull from the supplier's API now and then every period (e.g. 30m, 24h); URL and token as for `warehouse pull` (environment or <home>/supplier.json).",
            valueName: "period"))
        var pullEvery: String?

        func validate() throws {
            if let pullEvery, PullInterval(pullEvery) == nil {
                throw ValidationError("--pull-every takes a period like 30m, 24h or 1d, got '\(pullEvery)'")
            }
            guard StaleThreshold.seconds(staleAfter) != nil else {
                throw ValidationError("--stale-after takes a duration such as 36h, 90m or 2d, got '\(staleAfter)'")
            }
            do {
                try dashboardConfiguration(conninfo: "").validate()
            } catch let error as DashboardConfigurationError {
                throw ValidationError(error.description)
            }
        }

        /// The token from the flag, else from the environment; empty means none.
        var resolvedToken: String? {
            if let token { return token }
            let fromEnvironment = ProcessInfo.processInfo.environment["WAREHOUSE_DASHBOARD_TOKEN"] ?? ""
            return fromEnvironment.isEmpty ? nil : fromEnvironment
        }

        func dashboardConfiguration(conninfo: String) -> DashboardConfiguration {
            let quiet = options.quiet
            return DashboardConfiguration(
                host: host, port: port, conninfo: conninfo, token: resolvedToken,
                allowsNonLoopbackWithoutToken: insecureNoToken,
                staleAfterSeconds: StaleThreshold.seconds(staleAfter) ?? DashboardConfiguration.defaultStaleAfterSeconds,
                connections: connections, cacheEntries: noCache ? 0 : 256,
                log: { line in if !quiet { Self.printError(line) } })
        }

        func run() async throws {
            // Resolving the target starts the embedded cluster when that is the default.
            let server = try DashboardServer(configuration: dashboardConfiguration(conninfo: try options.settings.conninfo()))
            let schema = try await server.checkSchema()
            guard schema.isCurrent else { throw SchemaNotReadyError(schema.readiness) }

            let serving = Task { try await server.run(alongside: backgroundJobs()) }
            let listening = try await server.waitUntilListening()
            var notes = ["read-only", "database: \(options.settings.displayName)"]
            notes.append(resolvedToken == nil ? "no token" : "token required")
            if !server.configuration.isLoopbackOnly, resolvedToken == nil { notes.append("OPEN TO THE NETWORK") }
            print("Dashboard on \(server.url(port: listening)) (\(notes.joined(separator: "; "))). Ctrl-C stops it.")
            try await serving.value
        }

        /// Work to run beside the server: the scheduled supplier pull, when asked for.
        func backgroundJobs() -> [any DashboardBackgroundJob] {
            guard let pullEvery, let period = PullInterval(pullEvery) else { return [] }
            var logger = Logger(label: "warehouse.serve.pull")
            logger.logLevel = options.quiet ? .warning : .info
            return [ScheduledPullJob(period: period, periodText: pullEvery, settings: options.settings, logger: logger)]
        }

        static func printError(_ line: String) {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
