import Logging
import WarehouseKit
import WarehouseServer

/// `warehouse serve --pull-every`: the supplier pull on a schedule, beside the dashboard. It
/// writes through its own connection (``PullScheduler/pullJob``), never the read-only pool.
struct ScheduledPullJob: DashboardBackgroundJob {
    let period: PullInterval
    let periodText: String
    let settings: DatabaseSettings
    let logger: Logger

    var name: String { "supplier pull every \(periodText)" }

    func run() async throws {
        let settings = settings
        let resolve: @Sendable () throws -> SupplierConfiguration = {
            try SupplierConfiguration.resolve(url: nil, csvURL: nil, tokenFile: nil, home: settings.home)
        }
        _ = try resolve()  // wrong supplier settings fail at start, not at the first run
        let scheduler = PullScheduler(
            every: period.duration, logger: logger,
            job: PullScheduler.pullJob(settings: settings, options: PullOptions(), logger: logger, configuration: resolve))
        await scheduler.run()
    }
}
