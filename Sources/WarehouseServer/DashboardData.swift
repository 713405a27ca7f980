import WarehouseKit

/// Everything the handlers read from the warehouse, through the pool and the cache.
final class DashboardData: Sendable {
    let pool: ConnectionPool
    let cache: ResultCache
    let staleAfterSeconds: Double

    /// Results larger than this many rows are not cached (a `limit=all` download of a million
    /// customers would hold hundreds of megabytes); they are read fresh each time.
    static let largestCachedRows = 1_000

    init(pool: ConnectionPool, cache: ResultCache, staleAfterSeconds: Double) {
        self.pool = pool
        self.cache = cache
        self.staleAfterSeconds = staleAfterSeconds
    }

    func status() async throws -> WarehouseStatus {
        let query = StatusQuery(staleAfterSeconds: staleAfterSeconds)
        return try await pool.withConnection { try query.run(on: $0) }
    }

    func headline(asOf: CivilDate, days: Int, status: WarehouseStatus) async throws -> HeadlineFigures {
        try await cache.value(version: status.dataVersion, key: Self.headlineKey(asOf: asOf, days: days)) {
            try await pool.withConnection { try HeadlineStore(connection: $0).figures(asOf: asOf, days: days) }
        }
    }

    func report(_ request: ReportRequest, status: WarehouseStatus) async throws -> ReportResult {
        let query = ReportQuery(request)
        let run = { try await self.pool.withConnection { try query.run(on: $0) } }
        guard let limit = request.rowLimit, limit <= Self.largestCachedRows else { return try await run() }
        return try await cache.value(version: status.dataVersion, key: Self.reportKey(request, rows: limit), compute: run)
    }

    /// Orders and revenue per day for the ``trendDays`` days ending on `asOf`: the trend chart's
    /// data, of which the page draws the last 30 and all 90.
    func trend(asOf: CivilDate, status: WarehouseStatus) async throws -> [DailyTotalsStore.Day] {
        try await cache.value(version: status.dataVersion, key: Self.trendKey(asOf: asOf)) {
            try await pool.withConnection { try DailyTotalsStore(connection: $0).trend(asOf: asOf, days: Self.trendDays) }
        }
    }

    static let trendDays = 90

    /// The as-of day a view without one opens on: the database's today, unless the window ending
    /// today holds no order while older data exists; then the latest day with an order, so the
    /// page opens on data rather than on an empty week (and says so).
    static func defaultAsOf(days: Int, status: WarehouseStatus) -> (date: CivilDate, isLatestData: Bool) {
        let windowStart = status.today.adding(days: -(days - 1))
        guard let latest = status.latestOrderDate.flatMap({ CivilDate(iso: $0) }), latest < windowStart else {
            return (status.today, false)
        }
        return (latest, true)
    }

    /// Everything the page shows below its status line: the headline, the three reports and the trend.
    func page(_ parameters: DashboardParameters, status: WarehouseStatus) async throws -> PageContent {
        let resolved = parameters.asOf.map { ($0, false) } ?? Self.defaultAsOf(days: parameters.days, status: status)
        let asOf = resolved.0
        // The reads are independent: on separate pooled connections they overlap.
        async let headline = headline(asOf: asOf, days: parameters.days, status: status)
        async let totals = report(try parameters.reportRequest(.totalOrders, asOf: asOf), status: status)
        async let recent = report(try parameters.reportRequest(.mostRecentOrder, asOf: asOf), status: status)
        async let top = report(try parameters.reportRequest(.topCustomers, asOf: asOf), status: status)
        async let trend = trend(asOf: asOf, status: status)
        let reports = try await [totals, recent, top]
        return PageContent(asOf: asOf, openedOnLatestData: resolved.1, headline: try await headline, reports: reports,
                           trend: try await trend)
    }

    /// The cache keys of everything ``page(_:status:)`` reads for `parameters` at `asOf`: a view
    /// is fully cached when the cache holds all of them (the warmer's tests wait for that).
    static func pageKeys(_ parameters: DashboardParameters, asOf: CivilDate) throws -> [String] {
        var keys = [headlineKey(asOf: asOf, days: parameters.days), trendKey(asOf: asOf)]
        for kind in [ReportKind.totalOrders, .mostRecentOrder, .topCustomers] {
            let request = try parameters.reportRequest(kind, asOf: asOf)
            if let rows = request.rowLimit, rows <= largestCachedRows { keys.append(reportKey(request, rows: rows)) }
        }
        return keys
    }

    static func headlineKey(asOf: CivilDate, days: Int) -> String { "headline \(asOf) \(days)" }

    static func reportKey(_ request: ReportRequest, rows: Int) -> String {
        "report \(request.kind.rawValue) \(request.asOf?.description ?? "-") \(request.days) \(rows)"
    }

    static func trendKey(asOf: CivilDate) -> String { "trend \(asOf)" }

    struct PageContent: Sendable {
        /// The as-of day used: the request's, else ``defaultAsOf(days:status:)``.
        let asOf: CivilDate
        /// True when the view named no day and opened on the latest data instead of today.
        let openedOnLatestData: Bool
        let headline: HeadlineFigures
        let reports: [ReportResult]
        let trend: [DailyTotalsStore.Day]
    }

    /// The database answers and holds the schema this binary reads.
    func schema() async throws -> SchemaReadiness {
        try await pool.withConnection { connection in try connection.readOnlySnapshot { try SchemaReadiness.inspect(connection) } }
    }
}
