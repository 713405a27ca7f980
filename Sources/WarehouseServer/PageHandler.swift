import FlyingFox
import WarehouseKit

/// `GET /`: the dashboard page.
struct PageHandler: Sendable {
    let data: DashboardData

    func handle(_ request: HTTPRequest) async throws -> HTTPResponse {
        let parameters = try DashboardParameters(
            query: request.query, allowAll: false, defaultLimit: .rows(DashboardParameters.defaultRows))
        let started = ContinuousClock.now
        let status = try await data.status()
        let asOf = parameters.asOf ?? status.today
        // The four reads are independent: on separate pooled connections they overlap.
        async let headline = data.headline(asOf: asOf, days: parameters.days, status: status)
        async let totals = data.report(try parameters.reportRequest(.totalOrders, asOf: asOf), status: status)
        async let recent = data.report(try parameters.reportRequest(.mostRecentOrder, asOf: asOf), status: status)
        async let top = data.report(try parameters.reportRequest(.topCustomers, asOf: asOf), status: status)
        let reports = try await [totals, recent, top]
        let figures = try await headline
        let elapsed = ContinuousClock.now - started
        let page = DashboardPage(
            parameters: parameters, asOf: asOf, status: status, headline: figures, reports: reports,
            milliseconds: elapsed.milliseconds)
        return DashboardResponse.html(page.render())
    }
}
