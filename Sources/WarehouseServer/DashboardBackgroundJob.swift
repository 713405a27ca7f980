/// Work that runs for as long as the dashboard does, beside it.
///
/// The seam for `warehouse serve --pull-every`: the supplier pull's scheduler (``PullScheduler``,
/// with its retries) is wrapped in a job by the CLI and passed to ``DashboardServer/run(alongside:)``.
/// The dashboard itself stays read-only: a job opens its own database connection to write; it
/// never uses the dashboard's read-only pool. A job that throws is logged and the dashboard keeps
/// serving (its staleness warning and `/healthz` then show that loads have stopped); all jobs are cancelled
/// when the server stops.
public protocol DashboardBackgroundJob: Sendable {
    /// For the log: "supplier pull every 1h".
    var name: String { get }
    /// Runs until cancelled.
    func run() async throws
}
