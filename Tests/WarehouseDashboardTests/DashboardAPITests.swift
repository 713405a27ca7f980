import Foundation
import Testing
import WarehouseTestSupport

/// The JSON endpoints and the CSV downloads over real HTTP.
@Suite("Dashboard: JSON API and CSV downloads", .blockingWork)
struct DashboardAPITests {
    func object(_ body: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }

    @Test("/api/summary has the headline figures, exact decimals and the last load")
    func summary() async throws {
        try await DashboardTestServer.with { server in
            let response = try await server.get("/api/summary?as_of=2023-12-10&days=7")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json; charset=utf-8")
            let json = try object(response.body)
            #expect((json["window"] as? [String: Any])?["start"] as? String == "2023-12-04")
            #expect((json["previous_window"] as? [String: Any])?["end"] as? String == "2023-12-03")
            let orders = try #require(json["orders"] as? [String: Any])
            #expect(orders["current"] as? Int == 7 && orders["previous"] as? Int == 2)
            #expect(response.body.contains("\"revenue\": {\"current\": 1547.56, \"previous\": 510.00, \"change_percent\": 203.4}"))
            let load = try #require(json["last_load"] as? [String: Any])
            #expect(load["rows_read"] as? Int == 10 && load["status"] as? String == "succeeded")
            #expect(json["stale"] as? Bool == false)
            #expect(json["latest_order_date"] as? String == "2023-12-11")
        }
    }

    @Test("/api/trend: each of the 90 days to as_of with its orders and exact revenue, from the fixture's rows")
    func trend() async throws {
        // The expected days, summed here from the fixture's CSV rows.
        let rows = CSVRecords.parse(DashboardFixture.orders).dropFirst().filter { $0.count == 6 }
        var cents: [String: Int] = [:], counts: [String: Int] = [:]
        for row in rows where row[3] <= "2023-12-10" {
            let parts = row[2].split(separator: ".")
            cents[row[3], default: 0] += Int(parts[0])! * 100 + (parts.count > 1 ? Int(parts[1])! : 0)
            counts[row[3], default: 0] += 1
        }
        try await DashboardTestServer.with { server in
            let response = try await server.get("/api/trend?as_of=2023-12-10")
            #expect(response.status == 200)
            let json = try object(response.body)
            #expect(json["as_of"] as? String == "2023-12-10")
            let days = try #require(json["days"] as? [[String: Any]])
            #expect(days.count == 90)
            #expect(days.first?["date"] as? String == "2023-09-12" && days.last?["date"] as? String == "2023-12-10")
            #expect(days.compactMap { $0["orders"] as? Int }.reduce(0, +) == counts.values.reduce(0, +))
            for (day, total) in cents {
                let text = "\(total / 100).\(String(format: "%02d", total % 100))"
                #expect(response.body.contains("{\"date\": \"\(day)\", \"orders\": \(counts[day]!), \"revenue\": \(text)}"), "\(day)")
            }
            #expect(response.body.contains("{\"date\": \"2023-11-01\", \"orders\": 0, \"revenue\": 0}"))
        }
    }

    @Test("/api/reports/{report} returns typed rows, the window and truncation")
    func reports() async throws {
        try await DashboardTestServer.with { server in
            let top = try object(try await server.get("/api/reports/top-customers?as_of=2023-12-10&limit=3").body)
            #expect(top["report"] as? String == "top-customers")
            #expect(top["truncated"] as? Bool == true)
            let rows = try #require(top["rows"] as? [[String: Any]])
            #expect(rows.map { $0["customer_name"] as? String } == ["-Minus Customer", DashboardFixture.scriptName, "Ann Example"])
            #expect(rows.first?["rank"] as? Int == 1)

            let raw = try await server.get("/api/reports/top-customers?as_of=2023-12-10&limit=1").body
            #expect(raw.contains("\"total_value\": 1234.56"))

            let totals = try object(try await server.get("/api/reports/total-orders?limit=all").body)
            #expect((totals["rows"] as? [[String: Any]])?.count == 8)
            #expect(totals["window"] is NSNull)

            let recent = try object(try await server.get("/api/reports/most-recent-order?limit=1").body)
            #expect((recent["rows"] as? [[String: Any]])?.first?["order_id"] as? Int == 7)

            #expect(try await server.get("/api/reports/top-clients").status == 404)
            let bad = try await server.get("/api/reports/top-customers?days=0")
            #expect(bad.status == 400)
            #expect(try object(bad.body)["error"] as? String != nil)
        }
    }

    @Test("CSV downloads neutralise formulas in text columns only")
    func csv() async throws {
        try await DashboardTestServer.with { server in
            let response = try await server.get("/reports/top-customers.csv?as_of=2023-12-10")
            #expect(response.status == 200)
            #expect(response.header("Content-Type")?.hasPrefix("text/csv; charset=utf-8") == true)
            #expect(response.header("Content-Disposition") == "attachment; filename=\"top-customers_2023-12-10_7d.csv\"")
            let records = CSVRecords.parse(response.body)
            #expect(records.first == ["rank", "customer_name", "total_value", "order_count"])
            #expect(records.dropFirst().map { $0[1] } == [
                "'-Minus Customer", DashboardFixture.scriptName, "Ann Example", "Ben Example",
                "'" + DashboardFixture.formulaName, #"Zoë "Quote" & Co"#,
            ])
            #expect(records[1] == ["1", "'-Minus Customer", "1234.56", "1"])
            #expect(records.count == 7)

            let recent = CSVRecords.parse(try await server.get("/reports/most-recent-order.csv").body)
            #expect(recent.first == ["customer_name", "order_id", "order_date", "product_id", "price", "passenger_count"])
            #expect(recent.contains(["'-Minus Customer", "9", "2023-12-06", "parking", "1234.56", "3"]))
            #expect(recent.count == 9)
        }
    }
}
