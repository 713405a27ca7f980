import FlyingFox
import FlyingSocks
import WarehouseKit

/// The dashboard: an HTTP server over a read-only pool of warehouse connections.
///
///     let server = try DashboardServer(configuration: .init(conninfo: url))
///     let task = Task { try await server.run() }
///     let port = try await server.waitUntilListening()
///     …
///     await server.stop()
///
/// Nothing connects until the first request (or ``checkSchema()``), so a server pointed at a
/// database that is down still starts and reports it on `/healthz`.
public final class DashboardServer: Sendable {
    public let configuration: DashboardConfiguration
    let http: BoundedHTTPServer
    let data: DashboardData
    let log: @Sendable (String) -> Void

    /// - Throws: ``DashboardConfigurationError`` when the configuration is refused.
    public init(configuration: DashboardConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        let log = configuration.log ?? { _ in }
        self.log = log
        let conninfo = configuration.conninfo
        let pool = ConnectionPool(size: configuration.connections) { try PostgresConnection.readOnlySession(conninfo: conninfo, applicationName: "warehouse serve") }
        data = DashboardData(pool: pool, cache: ResultCache(capacity: configuration.cacheEntries),
                             staleAfterSeconds: configuration.staleAfterSeconds)
        let router = DashboardRouter(data: data, auth: TokenAuth(token: configuration.token), log: log)
        let address = try ListenHost(configuration.host).socketAddress(port: UInt16(configuration.port))
        http = BoundedHTTPServer(address: address, limits: configuration.limits,
                                 handler: MetricsHandler(router: router, metrics: RequestMetrics()), log: log)
    }

    /// Serves until cancelled or stopped, running `jobs` beside the server (see
    /// ``DashboardBackgroundJob``); they are cancelled when it ends.
    /// - Throws: when the socket cannot be bound (port in use, address not on this machine).
    public func run(alongside jobs: [any DashboardBackgroundJob] = []) async throws {
        let log = self.log
        var jobs = jobs
        if configuration.cacheEntries > 0, let interval = configuration.cacheWarmInterval {
            jobs.append(CacheWarmer(data: data, interval: interval, log: log))
        }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await self.http.run()
                return true
            }
            for job in jobs {
                group.addTask {
                    do {
                        try await job.run()
                    } catch is CancellationError {
                    } catch {
                        log("\(job.name) stopped: \(error)")
                    }
                    return false
                }
            }
            // A job may end early; only the server's end ends the group.
            while let isServer = try await group.next() {
                if isServer { break }
            }
            group.cancelAll()
        }
    }

    /// Waits for the socket to listen and returns its port (the system's choice for port 0).
    public func waitUntilListening(timeout: Double = 10) async throws -> Int {
        switch try await http.waitUntilListening(timeout: .milliseconds(Int(timeout * 1_000))) {
        case .ip4(_, let port)?, .ip6(_, let port)?: return Int(port)
        default: return configuration.port
        }
    }

    /// Stops accepting connections, ends open ones (giving running requests up to `timeout`
    /// seconds), and closes the database connections.
    public func stop(timeout: Double = 3) async {
        await http.stop(timeout: .milliseconds(Int(timeout * 1_000)))
        await data.pool.closeIdle()
    }

    /// Connects and checks the schema, for a clear message at startup instead of at the first page.
    /// - Throws: ``PostgresError`` when the database cannot be reached.
    public func checkSchema() async throws -> SchemaState {
        let schema = try await data.schema()
        return SchemaState(readiness: schema)
    }

    /// The URL to print at startup.
    public func url(port: Int) -> String {
        let host = (try? ListenHost(configuration.host).urlHost) ?? configuration.host
        return "http://\(host):\(port)/"
    }
}
