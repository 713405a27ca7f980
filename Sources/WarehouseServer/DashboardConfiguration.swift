/// How `warehouse serve` runs: where it listens, which database it reads, who may look.
public struct DashboardConfiguration: Sendable {
    /// An IP address or `localhost`; loopback by default so that nothing is exposed by accident.
    public var host: String
    /// 0 picks a free port (see ``DashboardServer/waitUntilListening()``).
    public var port: Int
    /// A libpq URL or conninfo (resolved by the caller through `DatabaseSettings`).
    public var conninfo: String
    /// When set, every route but `/healthz` and `/login` needs it (bearer header or login cookie).
    public var token: String?
    /// Allows a non-loopback host without a token; the operator takes responsibility.
    public var allowsNonLoopbackWithoutToken: Bool
    /// Data whose last confirmed load is older than this is flagged stale (default 36 hours).
    public var staleAfterSeconds: Double
    /// Database connections, i.e. requests reading at once.
    public var connections: Int
    /// Results kept until the next load (0 turns the cache off; see `ResultCache`).
    public var cacheEntries: Int
    /// How often to look for a new load and compute the default view ahead of visitors, in
    /// seconds; nil does not (see `CacheWarmer`). Unused when the cache is off.
    public var cacheWarmInterval: Double?
    /// Sizes and times a request may take before it is refused (see ``HTTPLimits``).
    public var limits: HTTPLimits
    /// Receives one line per request and every server-side error; nil discards them.
    public var log: (@Sendable (String) -> Void)?

    /// The default threshold: the supplier's file arrives daily, so a day's data plus half a day's
    /// slack for a late file. Past that at least one daily load has been missed.
    public static let defaultStaleAfterSeconds = 36.0 * 3_600

    public init(
        host: String = "127.0.0.1", port: Int = 8080, conninfo: String, token: String? = nil,
        allowsNonLoopbackWithoutToken: Bool = false, staleAfterSeconds: Double = defaultStaleAfterSeconds,
        connections: Int = 4, cacheEntries: Int = 256, cacheWarmInterval: Double? = 30,
        limits: HTTPLimits = .standard, log: (@Sendable (String) -> Void)? = nil
    ) {
        self.host = host
        self.port = port
        self.conninfo = conninfo
        self.token = token
        self.allowsNonLoopbackWithoutToken = allowsNonLoopbackWithoutToken
        self.staleAfterSeconds = staleAfterSeconds
        self.connections = connections
        self.cacheEntries = cacheEntries
        self.cacheWarmInterval = cacheWarmInterval
        self.limits = limits
        self.log = log
    }

    /// Checks everything that can be checked without the network or the database.
    /// - Throws: ``DashboardConfigurationError`` naming the option and the fix.
    public func validate() throws {
        let listen = try ListenHost(host)
        guard (0...65_535).contains(port) else {
            throw DashboardConfigurationError("--port must be from 0 to 65535, got \(port)")
        }
        if let token, token.isEmpty || token.contains(where: { $0.isWhitespace || $0.isNewline }) {
            throw DashboardConfigurationError("the dashboard token must be non-empty and hold no spaces")
        }
        if !listen.isLoopback, token == nil, !allowsNonLoopbackWithoutToken {
            throw DashboardConfigurationError("""
                --host \(host) makes the dashboard reachable from other machines; give it a --token \
                (or WAREHOUSE_DASHBOARD_TOKEN), or pass --insecure-no-token to accept anyone who can reach it
                """)
        }
        guard staleAfterSeconds > 0 else { throw DashboardConfigurationError("--stale-after must be positive") }
        guard (1...64).contains(connections) else {
            throw DashboardConfigurationError("--connections must be from 1 to 64, got \(connections)")
        }
        guard cacheEntries >= 0 else { throw DashboardConfigurationError("the cache size cannot be negative") }
        if let cacheWarmInterval, !(cacheWarmInterval > 0) {
            throw DashboardConfigurationError("the cache warming interval must be positive")
        }
    }

    /// Whether the listening address is loopback-only (for the startup message).
    public var isLoopbackOnly: Bool { (try? ListenHost(host))?.isLoopback ?? false }
}
