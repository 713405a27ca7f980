import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// `/metrics`, read with a strict parser of the exposition format.
@Suite("Dashboard: /metrics", .blockingWork)
struct MetricsTests {
    @Test("loads, freshness, pulls, requests, latency and the pool, in Prometheus' text format")
    func exposition() async throws {
        try await DashboardTestServer.with(cacheWarmInterval: nil) { server in
            try await DashboardTestServer.offload {
                try PullHealthStore(connection: try server.connect()).recordFailure(source: "https://supplier.example/api", error: "HTTP 503")
            }
            for _ in 0..<3 { #expect(try await server.get("/").status == 200) }
            #expect(try await server.get("/api/summary").status == 200)
            #expect(try await server.get("/no-such-page").status == 404)

            let response = try await server.get("/metrics")
            #expect(response.status == 200)
            #expect(response.header("content-type") == "text/plain; version=0.0.4; charset=utf-8")
            let metrics = try PrometheusText(parsing: response.body)

            // The fixture's rows, counted from its text: one order per line after the header.
            let fixtureRows = DashboardFixture.orders.split(separator: "\n").count - 1
            #expect(metrics.value("warehouse_database_up") == 1)
            #expect(metrics.value("warehouse_loads_total", ["status": "succeeded"]) == 1)
            #expect(metrics.value("warehouse_loads_total", ["status": "failed"]) == 0)
            #expect(metrics.value("warehouse_last_successful_load_rows", ["kind": "inserted"]) == Double(fixtureRows))
            #expect(metrics.value("warehouse_last_successful_load_rows", ["kind": "rejected"]) == 0)
            #expect(metrics.value("warehouse_rejected_rows_total") == 0)
            #expect(metrics.value("warehouse_data_stale") == 0)
            let finished = try await DashboardTestServer.offload {
                try server.connect().execute("select extract(epoch from max(finished_at))::float8 as t from ops.load_batches").single().double("t")
            }
            let reported = try #require(metrics.value("warehouse_last_successful_load_timestamp_seconds"))
            #expect(abs(reported - finished) < 1)
            #expect(metrics.value("warehouse_pull_consecutive_failures", ["source": "https://supplier.example/api"]) == 1)
            #expect(metrics.value("warehouse_pull_last_failure_timestamp_seconds", ["source": "https://supplier.example/api"]) != nil)

            #expect(metrics.value("warehouse_http_requests_total", ["route": "/", "code": "200"]) == 3)
            #expect(metrics.value("warehouse_http_requests_total", ["route": "/api/summary", "code": "200"]) == 1)
            #expect(metrics.value("warehouse_http_requests_total", ["route": "other", "code": "404"]) == 1)
            #expect(metrics.value("warehouse_http_request_duration_seconds_count", ["route": "/"]) == 3)
            #expect(metrics.value("warehouse_http_request_duration_seconds_bucket", ["route": "/", "le": "+Inf"]) == 3)
            #expect(metrics.value("warehouse_db_pool_size") == 2)
            #expect(metrics.types["warehouse_http_request_duration_seconds"] == "histogram")

            // This scrape is counted for the next one.
            let again = try PrometheusText(parsing: try await server.get("/metrics").body)
            #expect(again.value("warehouse_http_requests_total", ["route": "/metrics", "code": "200"]) == 1)
        }
    }

    @Test("with a token, /metrics needs it too")
    func token() async throws {
        try await DashboardTestServer.with(orders: nil, token: "metrics-token-123", cacheWarmInterval: nil) { server in
            #expect(try await server.get("/metrics").status == 401)
            let authorized = try await server.get("/metrics", headers: ["Authorization": "Bearer metrics-token-123"])
            #expect(authorized.status == 200)
            let metrics = try PrometheusText(parsing: authorized.body)
            #expect(metrics.value("warehouse_data_stale") == 1)
            #expect(metrics.value("warehouse_last_successful_load_timestamp_seconds") == nil)
        }
    }

    @Test("the parser refuses what a scraper would")
    func parserIsStrict() {
        for bad in [
            "x 1\n",  // no TYPE
            "# TYPE x gauge\nx{a=\"1} 1\n",  // unterminated value
            "# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\n# TYPE x gauge\n",  // split family
            "# TYPE x gauge\nx 1\nx 2\n",  // duplicate series
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",  // not cumulative
            "# TYPE x gauge\nx 1",  // no final line feed
        ] {
            #expect(throws: PrometheusText.Failure.self) { _ = try PrometheusText(parsing: bad) }
        }
    }
}
