import FlyingFox
import WarehouseKit

/// `GET /healthz`, for load balancers and monitors; open without the token.
///
/// 503 when the database does not answer or lacks the schema this binary reads: the dashboard
/// cannot work. Otherwise 200, with `"status"` saying how far the data can be trusted: `ok`;
/// `stale` when the last confirming load is older than `--stale-after` (or there was none);
/// `degraded` when the latest load failed after the last one that succeeded, or the latest
/// pulls from a supplier failed (`ops.pull_health`). The
/// service is up in all three, so a load balancer keeps it; a monitor reads the body. The body
/// never says how the database is reached (no host, socket path or error text: those go to
/// the server's log), since anyone may call this.
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
            let status = try await data.status()
            let freshness = status.lastConfirmation == nil ? "never" : status.isStale ? "stale" : "fresh"
            let failing = status.failureSinceConfirmation != nil
            let pullFailing = status.failingPull != nil
            // Stale outranks degraded: it is what a failing schedule ends in, and what readers feel.
            let overall = status.isStale ? "stale" : failing || pullFailing ? "degraded" : "ok"
            return DashboardResponse.json(.object([
                ("status", .string(overall)), ("database", .string("reachable")), ("schema", .string(schema.name)),
                ("freshness", .string(freshness)), ("last_load_failed", .bool(failing)), ("pull_failing", .bool(pullFailing)),
            ]))
        } catch {
            log("healthz: database check failed: \(error)")
            return DashboardResponse.json(.object([
                ("status", .string("unavailable")), ("database", .string("unreachable")),
            ]), status: .serviceUnavailable)
        }
    }
}
