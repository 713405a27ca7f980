import FlyingFox
import Foundation
import WarehouseKit

/// Wraps the router: counts and times every request, and answers `GET /metrics` in
/// Prometheus' text exposition format (version 0.0.4). Like every route but `/healthz` and
/// `/login`, it needs the token when one is set (Prometheus sends it as a bearer token).
/// https://prometheus.io/docs/instrumenting/exposition_formats/
struct MetricsHandler: HTTPHandler {
    let router: DashboardRouter
    let metrics: RequestMetrics

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let started = ContinuousClock.now
        var response: HTTPResponse
        if request.path == "/metrics", request.method == .GET || request.method == .HEAD, router.auth.isAuthorized(request) {
            response = await exposition()
            SecurityHeaders.apply(to: &response.headers)
        } else {
            response = try await router.handleRequest(request)
        }
        metrics.observe(path: request.path, status: response.statusCode.code, seconds: (ContinuousClock.now - started) / .seconds(1))
        return response
    }

    func exposition() async -> HTTPResponse {
        var text = MetricsText()
        let data = router.data
        let pool = data.pool.usage
        do {
            let stats = try await data.pool.withConnection { connection in
                try connection.readOnlySnapshot { try WarehouseMetrics.read(on: connection, staleAfterSeconds: data.staleAfterSeconds) }
            }
            text.gauge("warehouse_database_up", "1 when the database answered this scrape.", 1)
            stats.write(to: &text)
        } catch {
            text.gauge("warehouse_database_up", "1 when the database answered this scrape.", 0)
        }
        text.gauge("warehouse_db_pool_size", "Database connections the dashboard may open.", Double(data.pool.size))
        text.gauge("warehouse_db_pool_busy", "Connections busy with a request when scraped.", Double(pool.inUse))
        text.gauge("warehouse_db_pool_waiting", "Requests waiting for a connection when scraped.", Double(pool.waiting))
        RequestMetricsText.write(metrics.snapshot(), to: &text)
        return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: Data(text.output.utf8))
    }
}
