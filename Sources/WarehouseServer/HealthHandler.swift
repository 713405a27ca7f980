import FlyingFox
import WarehouseKit

/// `GET /healthz`, for load balancers and monitors; open without the token.
///
/// 200 when the database answers and holds the schema the dashboard reads, else 503. The body
/// says which, but never how the database is reached (no host, socket path or error text: those
/// go to the server's log), since anyone may call this.
struct HealthHandler: Sendable {
    let data: DashboardData
    let log: @Sendable (String) -> Void

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        do {
            let schema = try await data.schema()
            guard schema.isCurrent else {
                return DashboardResponse.json(.object([
                    ("status", .string("unavailable")), ("database", .string("reachable")),
                    ("schema", .string(schema.name)), ("message", .string(schema.message)),
                ]), status: .serviceUnavailable)
            }
            return DashboardResponse.json(.object([
                ("status", .string("ok")), ("database", .string("reachable")), ("schema", .string(schema.name)),
            ]))
        } catch {
            log("healthz: database check failed: \(error)")
            return DashboardResponse.json(.object([
                ("status", .string("unavailable")), ("database", .string("unreachable")),
            ]), status: .serviceUnavailable)
        }
    }
}
