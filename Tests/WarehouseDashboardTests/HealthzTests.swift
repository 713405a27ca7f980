import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// `/healthz` says `stale` and `degraded`, judged on the database's clock: the loads' finish
/// times are set relative to the server's `now()`, never to today's date.
@Suite("Dashboard: /healthz freshness", .blockingWork)
struct HealthzTests {
    static func body(_ response: HTTPTestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
    }

    static func record(_ status: String, hoursAgo: Int, on connection: PostgresConnection) throws {
        try connection.execute("""
            insert into ops.load_batches (source, source_kind, status, started_at, finished_at, tool_version)
            values ('orders.csv', 'file', \(status), now() - make_interval(hours => \(hoursAgo)),
                    now() - make_interval(hours => \(hoursAgo)), 'test')
            """)
    }

    @Test("never loaded: stale; an old load: stale; a fresh one: ok; a failure since: degraded")
    func states() async throws {
        try await DashboardTestServer.with(orders: nil, staleAfterSeconds: 36 * 3_600, cacheWarmInterval: nil) { server in
            var health = try Self.body(try await server.get("/healthz"))
            #expect(health["status"] as? String == "stale")
            #expect(health["freshness"] as? String == "never")

            try await DashboardTestServer.offload { try Self.record("succeeded", hoursAgo: 40, on: try server.connect()) }
            let response = try await server.get("/healthz")
            #expect(response.status == 200)
            health = try Self.body(response)
            #expect(health["status"] as? String == "stale")
            #expect(health["freshness"] as? String == "stale")

            try await DashboardTestServer.offload { try Self.record("succeeded", hoursAgo: 2, on: try server.connect()) }
            health = try Self.body(try await server.get("/healthz"))
            #expect(health["status"] as? String == "ok")
            #expect(health["last_load_failed"] as? Bool == false)

            try await DashboardTestServer.offload { try Self.record("failed", hoursAgo: 1, on: try server.connect()) }
            health = try Self.body(try await server.get("/healthz"))
            #expect(health["status"] as? String == "degraded")
            #expect(health["freshness"] as? String == "fresh")
            #expect(health["last_load_failed"] as? Bool == true)
        }
    }

    @Test("failing supplier pulls make it degraded, a success clears it")
    func failingPulls() async throws {
        try await DashboardTestServer.with(cacheWarmInterval: nil) { server in
            try await DashboardTestServer.offload {
                try PullHealthStore(connection: try server.connect()).recordFailure(source: "https://supplier.example/api", error: "HTTP 503")
            }
            var health = try Self.body(try await server.get("/healthz"))
            #expect(health["status"] as? String == "degraded")
            #expect(health["pull_failing"] as? Bool == true)
            try await DashboardTestServer.offload {
                try PullHealthStore(connection: try server.connect()).recordSuccess(source: "https://supplier.example/api")
            }
            health = try Self.body(try await server.get("/healthz"))
            #expect(health["status"] as? String == "ok")
        }
    }
}
