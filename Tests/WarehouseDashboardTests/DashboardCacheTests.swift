import Foundation
import Testing
import WarehouseKit
@testable import WarehouseServer
import WarehouseTestSupport

/// Results are kept until a load commits, and the default view is computed ahead of visitors.
@Suite("Dashboard: results kept until the next load", .blockingWork)
struct DashboardCacheTests {
    /// Polls `condition` every 0.1 s for up to 20 s.
    func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<200 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test("a new load is shown at once: cached results are dropped when a load commits")
    func newLoadIsSeen() async throws {
        try await DashboardTestServer.with(cacheWarmInterval: nil) { server in
            let before = try await server.get("/api/reports/total-orders?limit=100").body
            #expect(before.contains("\"customer_name\": \"Ann Example\", \"total_orders\": 2"))
            #expect(server.server.data.cache.count == 1)
            // The next day's snapshot: Ann has a third order.
            try await DashboardTestServer.offload {
                try DashboardTestServer.load(DashboardFixture.orders + "11,Ann Example,5.00,2023-12-10,lounge,1\n", into: server.database!)
            }
            let after = try await server.get("/api/reports/total-orders?limit=100").body
            #expect(after.contains("\"customer_name\": \"Ann Example\", \"total_orders\": 3"))
        }
    }

    @Test("the default view is computed before anyone asks, and again after each load")
    func warming() async throws {
        try await DashboardTestServer.with(cacheWarmInterval: 0.2) { server in
            let cache = server.server.data.cache
            // Everything each warmed window's page reads (headline, reports, trend), for the
            // default as-of day of that window. Not the headline alone: the page reads its parts
            // concurrently, so the headline can be held while the reports are still computing.
            func allWarmed() async throws -> Bool {
                let status = try await server.server.data.status()
                return try CacheWarmer.warmedDays.allSatisfy { days in
                    let parameters = DashboardParameters(asOf: nil, days: days, limit: .rows(DashboardParameters.defaultRows))
                    let asOf = DashboardData.defaultAsOf(days: days, status: status).date
                    return try DashboardData.pageKeys(parameters, asOf: asOf).allSatisfy(cache.holds)
                }
            }
            #expect(CacheWarmer.warmedDays.first == 7 && CacheWarmer.warmedDays.contains(30) && !CacheWarmer.warmedDays.contains(90))
            #expect(try await eventually { try await allWarmed() })
            // A warmed 30-day view adds nothing when asked for: all of it was computed already.
            let warmedCount = cache.count
            _ = try await server.get("/?days=30")
            #expect(cache.count == warmedCount)
            try await DashboardTestServer.offload {
                try DashboardTestServer.load(DashboardFixture.orders + "11,Ann Example,5.00,2023-12-10,lounge,1\n", into: server.database!)
            }
            // A new version empties the cache at the warmer's next look, then fills it again.
            #expect(try await eventually {
                // Read through the data layer, not an endpoint, which would cache entries of its own.
                guard try await server.server.data.status().dataVersion == 2 else { return false }
                return try await allWarmed()
            })
        }
    }
}
