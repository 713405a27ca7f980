/// `ops.pull_health`: how the pulls from each supplier are going. Written after every pull,
/// outside any load transaction (a failure must be kept); read by `status`, `/healthz` and
/// `/metrics`.
public struct PullHealthStore {
    /// One supplier's row. Times are ISO 8601 in UTC.
    public struct Entry: Sendable, Equatable {
        public let source: String
        public let lastAttemptAt: String
        public let lastSuccessAt: String?
        public let lastFailureAt: String?
        public let lastError: String?
        public let consecutiveFailures: Int
        /// Unix seconds of the last success and failure, for /metrics.
        public let lastSuccessEpoch: Double?
        public let lastFailureEpoch: Double?

        public var isFailing: Bool { consecutiveFailures > 0 }
    }

    /// Longer error texts are cut: the row is for a status line, the log has the rest.
    static let errorLimit = 1_000

    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    public func recordSuccess(source: String) throws {
        try connection.execute("""
            insert into ops.pull_health as h (source, last_attempt_at, last_success_at, consecutive_failures)
            values (\(source), now(), now(), 0)
            on conflict (source) do update
            set last_attempt_at = now(), last_success_at = now(), consecutive_failures = 0
            """)
    }

    public func recordFailure(source: String, error: String) throws {
        let text = String(error.prefix(Self.errorLimit))
        try connection.execute("""
            insert into ops.pull_health as h (source, last_attempt_at, last_failure_at, last_error, consecutive_failures)
            values (\(source), now(), now(), \(text), 1)
            on conflict (source) do update
            set last_attempt_at = now(), last_failure_at = now(), last_error = excluded.last_error,
                consecutive_failures = h.consecutive_failures + 1
            """)
    }

    /// Every supplier's row, failing ones first; empty when the table does not exist yet.
    public func entries() throws -> [Entry] {
        guard try connection.execute("select to_regclass('ops.pull_health') is not null as present").single().bool("present") else {
            return []
        }
        let utc = "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'"
        let result = try connection.execute("""
            select source, consecutive_failures, last_error,
                   to_char(last_attempt_at at time zone 'UTC', \(unsafeRaw: utc)) as last_attempt_at,
                   to_char(last_success_at at time zone 'UTC', \(unsafeRaw: utc)) as last_success_at,
                   to_char(last_failure_at at time zone 'UTC', \(unsafeRaw: utc)) as last_failure_at,
                   extract(epoch from last_success_at)::float8 as success_epoch,
                   extract(epoch from last_failure_at)::float8 as failure_epoch
            from ops.pull_health
            order by consecutive_failures desc, source
            """)
        return try result.rows.map {
            Entry(source: try $0.string("source"), lastAttemptAt: try $0.string("last_attempt_at"),
                  lastSuccessAt: try $0.optionalString("last_success_at"), lastFailureAt: try $0.optionalString("last_failure_at"),
                  lastError: try $0.optionalString("last_error"), consecutiveFailures: try $0.int("consecutive_failures"),
                  lastSuccessEpoch: try $0.optionalString("success_epoch").flatMap(Double.init),
                  lastFailureEpoch: try $0.optionalString("failure_epoch").flatMap(Double.init))
        }
    }
}
