public import Foundation
public import Logging

/// Runs a pull now and then every period, for `warehouse serve --pull-every 24h` and
/// `warehouse pull --every 24h`. Never two at once: a run that outlasts the period is followed
/// by the next one right after it ends (missed periods are not made up), and ``runNow()``
/// while a run is going (say, a dashboard button) is skipped, not queued. No jitter: a single
/// warehouse has no herd to spread, and an operator expects 02:00 to mean 02:00.
///
/// A failed run is retried with exponential backoff — 1, 2, 4, 8 … minutes after it failed,
/// each wait capped at half the period — rather than waiting a whole period; a retry never
/// pushes back the regular schedule, and the first success ends the retries.
public actor PullScheduler {
    public typealias Job = @Sendable () async throws -> PullSummary

    public enum Outcome: Sendable {
        case succeeded(PullSummary)
        case failed(String)
        /// Another run was in progress.
        case skipped
    }

    public let period: Duration
    /// The wait before the first retry after a failure; it doubles with each failure in a row.
    public let firstRetry: Duration
    private let job: Job
    private let logger: Logger
    private let observer: (@Sendable (Outcome) -> Void)?
    private var isRunning = false
    public private(set) var lastOutcome: Outcome?
    public private(set) var lastFinishedAt: Date?
    /// Failed runs since the last success.
    public private(set) var consecutiveFailures = 0

    /// - Parameters:
    ///   - firstRetry: the first retry's wait (default one minute; tests pass milliseconds).
    ///   - observer: told each run's outcome, after it is recorded (tests synchronise on it).
    public init(every period: Duration, firstRetry: Duration = .seconds(60), logger: Logger = Logger(label: "warehouse.pull.scheduler"),
                observer: (@Sendable (Outcome) -> Void)? = nil, job: @escaping Job) {
        self.period = period
        self.firstRetry = firstRetry
        self.logger = logger
        self.observer = observer
        self.job = job
    }

    /// The wait before retry number `failures` (1 for the first): `firstRetry` doubled for each
    /// earlier failure, never more than half the period.
    public static func retryDelay(failures: Int, firstRetry: Duration, period: Duration) -> Duration {
        let cap = period / 2
        var delay = firstRetry
        for _ in 1..<max(1, failures) {
            delay = delay * 2
            if delay >= cap { return cap }
        }
        return min(delay, cap)
    }

    /// Pulls now, then every `period` (start to start), retrying failures with backoff in
    /// between, until the calling task is cancelled.
    public func run() async {
        let clock = ContinuousClock()
        var regular = clock.now
        var next = regular
        logger.info("scheduled pulls every \(PullScheduler.describe(period))")
        while !Task.isCancelled {
            do {
                try await clock.sleep(until: next)
            } catch {
                break
            }
            let outcome = await runNow()
            if next >= regular {
                regular = regular.advanced(by: period)
                if regular < clock.now { regular = clock.now }
            }
            next = regular
            if case .failed = outcome {
                let delay = Self.retryDelay(failures: consecutiveFailures, firstRetry: firstRetry, period: period)
                next = min(regular, clock.now.advanced(by: delay))
                logger.warning("pull failed \(consecutiveFailures) time(s) in a row; retrying in \(PullScheduler.describe(clock.now.duration(to: next)))")
            } else {
                logger.info("next pull in \(PullScheduler.describe(clock.now.duration(to: next)))")
            }
        }
    }

    /// One pull, unless one is already running. Failures are logged and returned, never thrown:
    /// the schedule goes on and the next run retries from the same mark.
    @discardableResult
    public func runNow() async -> Outcome {
        guard !isRunning else {
            logger.warning("a pull is still running; this one is skipped")
            return .skipped
        }
        isRunning = true
        defer { isRunning = false }
        let outcome: Outcome
        do {
            let summary = try await job()
            let loaded = summary.load.map { ", \($0.inserted) inserted, \($0.updated) updated, \($0.rejected) rejected" } ?? ""
            let batch = summary.batchID.map(String.init) ?? "-"
            logger.info("pull succeeded: \(summary.outcome.rawValue), \(summary.ordersReceived) orders received\(loaded), batch \(batch), mark \(summary.highWaterMark ?? "none")")
            outcome = .succeeded(summary)
            consecutiveFailures = 0
        } catch {
            logger.error("pull failed, nothing was loaded: \(error)")
            outcome = .failed(String(describing: error))
            consecutiveFailures += 1
        }
        lastOutcome = outcome
        lastFinishedAt = Date()
        observer?(outcome)
        return outcome
    }

    /// The usual job: each run resolves the supplier settings afresh (a rotated token file is
    /// picked up), opens its own connection (a pull must not share a connection with the
    /// dashboard's queries), checks the schema is current (only `warehouse migrate` changes it),
    /// pulls, and records the outcome in `ops.pull_health`.
    public static func pullJob(settings: DatabaseSettings, options: PullOptions, logger: Logger,
                               configuration: @escaping @Sendable () throws -> SupplierConfiguration) -> Job {
        {
            let supplier = try configuration()
            do {
                let database = DatabaseSession(name: "wh-pull") { try settings.connect() }
                try await database.run { try SchemaReadiness.requireCurrent($0) }
                let summary = try await Puller(database: database, configuration: supplier, landing: LandingArea(home: settings.home),
                                               options: options, logger: logger).pull()
                await recordHealth(settings: settings, supplier: supplier, failure: nil, logger: logger)
                return summary
            } catch {
                await recordHealth(settings: settings, supplier: supplier, failure: error, logger: logger)
                throw error
            }
        }
    }

    /// Notes a pull's outcome in `ops.pull_health` on a connection of its own, so that `status`
    /// and the dashboard see a failure no load row records (the API down, a refused token). Best
    /// effort: an unreachable or unmigrated database, the likely failure itself, is only logged.
    public static func recordHealth(settings: DatabaseSettings, supplier: SupplierConfiguration, failure: (any Error)?, logger: Logger) async {
        let source = supplier.sourceKey
        if failure is SchemaNotReadyError { return }
        do {
            try await BlockingThreads.shared.run {
                let connection = try settings.connect()
                let store = PullHealthStore(connection: connection)
                if let failure {
                    try store.recordFailure(source: source, error: String(describing: failure))
                } else {
                    try store.recordSuccess(source: source)
                }
            }
        } catch {
            logger.warning("could not record the pull's outcome in ops.pull_health: \(error)")
        }
    }

    static func describe(_ duration: Duration) -> String {
        duration < .seconds(60) ? SupplierClient.format(duration) : PullInterval(seconds: Int(duration.asSeconds.rounded())).description
    }
}
