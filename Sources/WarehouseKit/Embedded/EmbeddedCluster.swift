public import Foundation

/// The private PostgreSQL cluster a new user gets without any set-up: data under
/// `<home>/pg` (see ``ClusterLayout``), a unix socket only, no TCP, trust authentication for
/// the socket's owner, a superuser and a database both named `warehouse`.
///
/// Every command that needs the database calls ``startIfNeeded()``: the first call runs
/// `initdb`, later ones start the server if it is down, and when it is up they cost one
/// connection attempt. Creating and starting happen under an flock on `<home>/pg.lock`, so
/// two processes starting at once never both run initdb or pg_ctl.
public struct EmbeddedCluster: Sendable {
    /// Only names the socket file (`.s.PGSQL.5432`): with no TCP listener, nothing can clash.
    public static let port = 5432
    public static let superuser = "warehouse"
    public static let database = "warehouse"

    public let home: URL
    public let environment: [String: String]
    /// Server settings written after the defaults (``defaultSettings``); tests turn fsync off.
    public let settings: [String: String]

    public init(
        home: URL, environment: [String: String] = ProcessInfo.processInfo.environment,
        settings: [String: String] = [:]
    ) {
        self.home = home.standardizedFileURL
        self.environment = environment
        self.settings = settings
    }

    /// A running cluster and how to reach it.
    public struct Running: Sendable {
        /// `key=value` form, for libpq.
        public let conninfo: String
        /// URL form, for psql and `--database-url`.
        public let url: String
        public let layout: ClusterLayout
        /// True when this call started the server (false: it was already running).
        public let wasStarted: Bool
        /// True when this call ran initdb.
        public let wasInitialized: Bool
    }

    var lockFile: URL { home.appendingPathComponent("pg.lock") }

    /// Creates the cluster if needed, starts it if needed, and waits until it accepts connections.
    /// - Throws: ``EmbeddedClusterError`` (server programs missing, initdb or start failed, with
    ///   the end of the server log), ``PostgresError`` if the `warehouse` database cannot be made.
    public func startIfNeeded() throws -> Running {
        // Fast path for every command after the first: one connection attempt, no lock, no fork.
        if let layout = initializedLayout(), canConnect(layout, database: Self.database) {
            return running(layout, started: false, initialized: false)
        }
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let lock = try FileLock(lockFile)
        defer { lock.unlock() }

        let (layout, account) = try resolve()
        try layout.checkPathsAreSafe()
        let server = try ServerControl(layout: layout, account: account, cluster: self)
        var initialized = false
        if !layout.isInitialized {
            try server.initialize()
            initialized = true
        }
        var started = false
        switch server.state() {
        case .running:
            break
        case .stopped, .stale:
            try server.start()
            started = true
        }
        try server.waitUntilAccepting()
        try server.ensureDatabase()
        return running(layout, started: started, initialized: initialized)
    }

    /// Stops the server (`pg_ctl stop -m fast`: open sessions are rolled back, nothing committed
    /// is lost) and waits until it is down.
    /// - Returns: whether a server was running.
    @discardableResult
    public func stop() throws -> Bool {
        guard initializedLayout() != nil else { return false }
        let lock = try FileLock(lockFile)
        defer { lock.unlock() }
        return try stopHoldingLock()
    }

    /// ``stop()`` for a caller that holds the lock on `pg.lock` already.
    func stopHoldingLock() throws -> Bool {
        guard let layout = initializedLayout() else { return false }
        let (_, account) = try resolve()
        let server = try ServerControl(layout: layout, account: account, cluster: self)
        switch server.state() {
        case .stopped:
            return false
        case .stale:
            server.removeStaleFiles()
            return false
        case .running:
            try server.stop()
            return true
        }
    }

    /// How to reach the cluster once it runs (the socket folder depends only on the home).
    public func connectionParameters(database: String = EmbeddedCluster.database) throws -> ConnectionParameters {
        let (layout, _) = try resolve()
        return Self.parameters(layout, database: database)
    }

    // MARK: - Internals shared by the extensions

    /// The layout whose initdb completed, if any, without creating or probing anything.
    func initializedLayout() -> ClusterLayout? {
        let standard = ClusterLayout(home: home, relocated: false)
        if standard.isInitialized { return standard }
        let relocated = ClusterLayout(home: home, relocated: true)
        return ServerAccount.isRoot && relocated.isInitialized ? relocated : nil
    }

    /// Where the cluster lives and which account runs it.
    ///
    /// Not root: `<home>/pg`, run as ourselves. Root: an existing cluster stays where it is and
    /// runs as its data folder's owner; a new one goes to `<home>/pg` when the server account can
    /// enter the home folder, else it is relocated (see ``ClusterLayout``).
    func resolve() throws -> (ClusterLayout, ServerAccount) {
        let standard = ClusterLayout(home: home, relocated: false)
        guard ServerAccount.isRoot else { return (standard, .current()) }
        let relocated = ClusterLayout(home: home, relocated: true)
        for layout in [standard, relocated] where layout.isInitialized {
            return (layout, try ServerAccount.forRoot(environment: environment, existingData: layout.dataDirectory))
        }
        let account = try ServerAccount.forRoot(environment: environment, existingData: nil)
        var probe = home
        while !FileManager.default.fileExists(atPath: probe.path), probe.path != "/" {
            probe.deleteLastPathComponent()
        }
        return (account.canTraverse(probe, runner: childRunner) ? standard : relocated, account)
    }

    /// What the server programs see: no PG* variables (PGPORT would move the socket, PGDATA
    /// would be ignored but confuse), no locale from the caller (initdb gets an explicit one).
    var childRunner: ProcessRunner {
        var child: [String: String] = ["LC_ALL": "C", "LANG": "C"]
        child["PATH"] = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for key in ["TZ", "TMPDIR"] { child[key] = environment[key] }
        return ProcessRunner(environment: child)
    }

    static func parameters(_ layout: ClusterLayout, database: String) -> ConnectionParameters {
        ConnectionParameters([
            ("host", layout.socketDirectory.path), ("port", String(port)),
            ("user", superuser), ("dbname", database),
        ])
    }

    func canConnect(_ layout: ClusterLayout, database: String) -> Bool {
        (try? PostgresConnection(conninfo: Self.parameters(layout, database: database).conninfo)) != nil
    }

    private func running(_ layout: ClusterLayout, started: Bool, initialized: Bool) -> Running {
        let parameters = Self.parameters(layout, database: Self.database)
        return Running(
            conninfo: parameters.conninfo, url: parameters.url, layout: layout,
            wasStarted: started, wasInitialized: initialized)
    }
}
