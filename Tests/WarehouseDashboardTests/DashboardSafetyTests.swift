import Foundation
import Testing
import WarehouseKit
@testable import WarehouseServer
import WarehouseTestSupport

/// Read-only, injection-proof, honest about the database, and the same headers on every response.
@Suite("Dashboard: read-only, health, headers", .blockingWork)
struct DashboardSafetyTests {
    @Test("the dashboard's sessions refuse to write")
    func readOnlySession() async throws {
        try await DashboardTestServer.with(orders: nil) { server in
            let connection = try PostgresConnection.readOnlySession(conninfo: server.database!.conninfo, applicationName: "warehouse serve")
            let error = #expect(throws: PostgresError.self) {
                try connection.execute("insert into ops.api_sync_state (source) values ('dashboard')")
            }
            #expect(error?.sqlState == "25006")  // read_only_sql_transaction
        }
    }

    @Test("a request cannot write, even if the SQL it runs tries to")
    func requestCannotWrite() async throws {
        try await DashboardTestServer.with { server in
            // Sabotage the weekly report's function so that calling it writes, as a buggy or
            // malicious migration might: PostgreSQL must refuse inside the dashboard's transaction.
            let connection = try server.connect()
            try connection.execute("""
                create or replace function reporting.top_customers(as_of date default current_date, days integer default 7, n integer default 10)
                returns table (rank bigint, customer_name text, total_value numeric, order_count bigint, window_start date, window_end date)
                language plpgsql as $$
                begin
                    insert into ops.api_sync_state (source) values ('written by a dashboard request');
                    return;
                end
                $$
                """)
            let response = try await server.get("/api/reports/top-customers?as_of=2023-12-10")
            #expect(response.status == 500)
            #expect(!response.body.contains("insert"))  // no SQL shown to the client
            #expect(try await server.get("/?as_of=2023-12-10").status == 500)
            let written = try connection.execute("select count(*) as n from ops.api_sync_state").single()
            #expect(try written.int("n") == 0)
        }
    }

    @Test("parameters are validated, never pasted into SQL")
    func injection() async throws {
        try await DashboardTestServer.with { server in
            let attack = "2023-12-10'%3B%20delete%20from%20warehouse.fact_orders%3B--"
            #expect(try await server.get("/api/reports/top-customers?as_of=\(attack)").status == 400)
            #expect(try await server.get("/?days=7%3Bdrop%20table%20ops.load_batches").status == 400)
            let facts = try server.connect().execute("select count(*) as n from warehouse.fact_orders").single()
            #expect(try facts.int("n") == 10)
        }
    }

    @Test("/healthz is 200 when the database answers")
    func healthy() async throws {
        try await DashboardTestServer.with { server in
            let response = try await server.get("/healthz")
            #expect(response.status == 200)
            #expect(response.body == "{\"status\": \"ok\", \"database\": \"reachable\", \"schema\": \"current\", \"freshness\": \"fresh\", \"last_load_failed\": false, \"pull_failing\": false}\n")
        }
    }

    @Test("/healthz is 503 when the database is down, and the page says so without details")
    func databaseDown() async throws {
        let nowhere = "postgresql:///postgres?host=/tmp/warehouse-test-no-such-server&user=postgres&connect_timeout=2"
        try await DashboardTestServer.with(conninfo: nowhere) { server in
            let health = try await server.get("/healthz")
            #expect(health.status == 503)
            #expect(health.body == "{\"status\": \"unavailable\", \"database\": \"unreachable\"}\n")
            let page = try await server.get("/")
            #expect(page.status == 503)
            #expect(page.body.contains("The database is not answering"))
            #expect(!page.body.contains("/tmp/warehouse-test-no-such-server"))
            #expect(try await server.get("/api/summary").status == 503)
        }
    }

    @Test("a database without the schema: 503 and `warehouse migrate`, nothing migrated")
    func missingSchema() async throws {
        try await DashboardTestServer.with(orders: nil, migrated: false) { server in
            let health = try await server.get("/healthz")
            #expect(health.status == 503)
            #expect(health.body.contains("\"schema\": \"missing\""))
            #expect(health.body.contains("run `warehouse migrate` first"))
            let page = try await server.get("/")
            #expect(page.status == 503)
            #expect(page.body.contains("run `warehouse migrate`"))
            let ledger = try server.connect().execute("select to_regclass('ops.schema_migrations') is null as absent").single()
            #expect(try ledger.bool("absent"))
        }
    }

    @Test("security headers on pages, JSON, downloads and errors; only GET")
    func headers() async throws {
        try await DashboardTestServer.with { server in
            for target in ["/", "/api/summary", "/reports/total-orders.csv", "/healthz", "/no-such-page"] {
                let response = try await server.get(target)
                #expect(response.header("Content-Security-Policy")?.hasPrefix(
                    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'") == true, "\(target)")
                #expect(response.header("X-Content-Type-Options") == "nosniff")
                #expect(response.header("Referrer-Policy") == "no-referrer")
                #expect(response.header("Cache-Control") == "no-store")
            }
            #expect(try await server.get("/no-such-page").status == 404)
            let post = try await server.request("POST", "/", body: "x=1")
            #expect(post.status == 405 && post.header("Allow") == "GET, HEAD")
        }
    }

    @Test("HEAD answers like GET, without the body (monitors use it)")
    func head() async throws {
        try await DashboardTestServer.with { server in
            for target in ["/healthz", "/", "/api/summary", "/reports/total-orders.csv", "/no-such-page"] {
                let get = try await server.get(target)
                let head = try await server.request("HEAD", target)
                #expect(head.status == get.status, "\(target)")
                #expect(head.body.isEmpty, "\(target)")
                // The page carries its render time, and /healthz and /api/summary the data's age in
                // seconds, so their lengths may differ by a few digits between two requests.
                let length = Int(head.header("Content-Length") ?? "") ?? -1
                let varies = ["/", "/healthz", "/api/summary"].contains(target)
                #expect(varies ? abs(length - get.body.utf8.count) <= 8 : length == get.body.utf8.count, "\(target): \(length) vs \(get.body.utf8.count)")
                #expect(head.header("Content-Type") == get.header("Content-Type"), "\(target)")
            }
            #expect(try await server.request("HEAD", "/healthz").status == 200)
        }
    }
}
