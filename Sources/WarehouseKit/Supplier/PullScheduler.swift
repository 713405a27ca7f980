public import Foundation
public import Logging

/// Runs a pull now and then every period, for `warehouse serve --pull-every 24h` and
/// `warehouse pull --every 24h`. Never two at once: a run that outlasts the period is followed
/// by the next one right after it ends (missed periods are not made up), and ``runNow()``
/// while a run is going (say, a dashboard button) is skipped, not queued. No jitter: a single
/// warehouse has no herd to spread, and an operator expects 02:00 to mean 02:00.
public actor PullScheduler {
    public typealias Job = @Sendable () async throws -> PullSummary

    public enum Outcome: Sendable {
        case succeeded(PullSummary)
        case failed(String)
        /// Another run was in progress.
        case skipped
    }

    public let period: Duration
    private let job: Job
    private let logger: Logger
    private var isRunning = false
    public private(set) var lastOutcome: Outcome?
    public private(set) var lastFinishedAt: Date?

    public init(every period: Duration, logger: Logger = Logger(label: "warehouse.pull.scheduler"), job: @escaping Job) {
        self.period = period
        self.logger = logger
        self.job = job
    }

    /// Pulls now, then every `period` (start to start), until the calling task is cancelled.
    public func run() async {
        let clock = ContinuousClock()
        var next = clock.now
        logger.info("scheduled pulls every \(PullScheduler.describe(period))")
        while !Task.isCancelled {
            do {
                try await clock.sleep(until: next)
            } catch {
                break
            }
            await runNow()
            next = next.advanced(by: period)
            if next < clock.now { next = clock.now }
            logger.info("next pull in \(PullScheduler.describe(clock.now.duration(to: next)))")
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
        } catch {
            logger.error("pull failed, nothing was loaded: \(error)")
            outcome = .failed(String(describing: error))
        }
        lastOutcome = outcome
        lastFinishedAt = Date()
        return outcome
    }

    /// The usual job: each run resolves the supplier settings afresh (a rotated token file is
    /// picked up), opens its own connection (a pull must not share a connection with the
    /// dashboard's queries), checks the schema is current (only `warehouse migrate` changes it),
    /// and pulls.
    public static func pullJob(settings: DatabaseSettings, options: PullOptions, logger: Logger,
                               configuration: @escaping @Sendable () throws -> SupplierConfiguration) -> Job {
        {
            let supplier = try configuration()
            let connection = try await Puller.onOwnThread {
                let connection = try settings.connect()
                try SchemaReadiness.requireCurrent(connection)
                return connection
            }
            return try await Puller(connection: connection, configuration: supplier, landing: LandingArea(home: settings.home),
                                    options: options, logger: logger).pull()
        }
    }

    static func describe(_ duration: Duration) -> String {
        duration < .seconds(60) ? SupplierClient.format(duration) : PullInterval(seconds: Int(duration.asSeconds.rounded())).description
    }
}
