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
        let content = try await data.page(parameters, status: status)
        let page = DashboardPage(
            parameters: parameters, asOf: content.asOf, openedOnLatestData: content.openedOnLatestData, status: status,
            headline: content.headline, reports: content.reports, trend: content.trend,
            milliseconds: (ContinuousClock.now - started).milliseconds)
        return DashboardResponse.html(page.render())
    }
}
