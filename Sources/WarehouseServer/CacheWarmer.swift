import WarehouseKit

/// Computes the default view (today, 7 days, 10 rows) as soon as a new load is seen, so that the
/// first visitor after a load is served from the cache too; then the same view for the other
/// windows of up to a month (``warmedDays``), which an analyst switches to from it. Longer ones
/// (90, 365 days) are left to whoever asks (30-50 ms for a first page at 5M facts).
///
/// Without it the first page view after each load pays for the weekly aggregate, about a second
/// at 5M facts (docs/dashboard.md). Every `interval` seconds it reads the status line (a few index
/// lookups); only when the data version or the day has changed does it read the rest. It runs
/// through the same read-only pool as requests. Failures (database down, schema missing) are
/// logged once per streak and retried at the next tick; requests report them in their own way.
struct CacheWarmer: DashboardBackgroundJob {
    let data: DashboardData
    let interval: Double
    let log: @Sendable (String) -> Void

    var name: String { "cache warmer" }

    /// The window lengths warmed, the default first.
    static let warmedDays = [7] + DashboardParameters.dayChoices.filter { $0 != 7 && $0 <= 30 }

    func run() async throws {
        var warmed: (version: Int, today: CivilDate)?
        var failing = false
        while !Task.isCancelled {
            do {
                let status = try await data.status()
                if warmed?.version != status.dataVersion || warmed?.today != status.today {
                    // One view at a time, so visitors meanwhile find free connections.
                    for days in Self.warmedDays {
                        let parameters = DashboardParameters(asOf: nil, days: days, limit: .rows(DashboardParameters.defaultRows))
                        _ = try await data.page(parameters, status: status)
                    }
                    warmed = (status.dataVersion, status.today)
                }
                failing = false
            } catch is CancellationError {
                return
            } catch {
                if !failing { log("cache warmer: \(error)") }
                failing = true
            }
            try await Task.sleep(for: .seconds(interval))
        }
    }
}
