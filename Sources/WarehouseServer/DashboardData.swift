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
        try await cache.value(version: status.dataVersion, key: "headline \(asOf) \(days)") {
            try await pool.withConnection { try HeadlineStore(connection: $0).figures(asOf: asOf, days: days) }
        }
    }

    func report(_ request: ReportRequest, status: WarehouseStatus) async throws -> ReportResult {
        let query = ReportQuery(request)
        let run = { try await self.pool.withConnection { try query.run(on: $0) } }
        guard let limit = request.rowLimit, limit <= Self.largestCachedRows else { return try await run() }
        let key = "report \(request.kind.rawValue) \(request.asOf?.description ?? "-") \(request.days) \(limit)"
        return try await cache.value(version: status.dataVersion, key: key, compute: run)
    }

    /// Everything the page shows below its status line: the headline and the three reports.
    func page(_ parameters: DashboardParameters, status: WarehouseStatus)
        async throws -> (asOf: CivilDate, headline: HeadlineFigures, reports: [ReportResult]) {
        let asOf = parameters.asOf ?? status.today
        // The four reads are independent: on separate pooled connections they overlap.
        async let headline = headline(asOf: asOf, days: parameters.days, status: status)
        async let totals = report(try parameters.reportRequest(.totalOrders, asOf: asOf), status: status)
        async let recent = report(try parameters.reportRequest(.mostRecentOrder, asOf: asOf), status: status)
        async let top = report(try parameters.reportRequest(.topCustomers, asOf: asOf), status: status)
        let reports = try await [totals, recent, top]
        return (asOf, try await headline, reports)
    }

    /// The database answers and holds the schema this binary reads.
    func schema() async throws -> SchemaReadiness {
        try await pool.withConnection { connection in try connection.readOnlySnapshot { try SchemaReadiness.inspect(connection) } }
    }
}
