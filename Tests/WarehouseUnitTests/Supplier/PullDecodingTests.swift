import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

@Suite("Pull: pages, orders and timestamps", .blockingWork)
struct PullDecodingTests {
    private let order = #"{"order_id": 7, "customer_name": "Ann, \"A\"", "price": 1e2, "order_date": "2023-12-01", "#
        + #""product_id": "fast-track", "passenger_count": 2, "updated_at": "2023-12-01T10:00:00.1234567+01:00", "new": [1]}"#

    @Test func decodesAPageAndToleratesUnknownMembers() throws {
        let page = try OrdersPage.decode(Data(#"{"orders": [\#(order)], "next_cursor": "abc", "extra": {"x": null}}"#.utf8), page: 1)
        #expect(page.nextCursor == "abc")
        let decoded = try #require(page.orders.first)
        #expect(decoded.orderID == "7")
        #expect(decoded.price == "100")
        #expect(decoded.updatedAt.iso8601 == "2023-12-01T09:00:00.123456Z")
        var csv = ""
        decoded.appendCSVRecord(to: &csv)
        #expect(csv == "\"Ann, \"\"A\"\"\",7,100,2023-12-01,fast-track,2\n")
    }

    @Test func lastPageHasANullCursor() throws {
        #expect(try OrdersPage.decode(Data(#"{"orders": [], "next_cursor": null}"#.utf8), page: 3).nextCursor == nil)
    }

    @Test(arguments: [
        (#"{"orders": [], "next_cursor": null"#, SupplierError.Code.malformedResponse, "ends early"),
        (#"{"next_cursor": null}"#, .contract, "missing member \"orders\""),
        (#"{"orders": []}"#, .contract, "missing member \"next_cursor\""),
        (#"{"orders": {}, "next_cursor": null}"#, .contract, "must be an array"),
        (#"{"orders": [{"order_id": 1}], "next_cursor": null}"#, .contract, "page 2, order 1 (order_id 1): missing field \"customer_name\""),
        (#"{"orders": [{"order_id": 1, "customer_name": "A", "price": {"amount": 1}, "order_date": "2023-01-01", "product_id": "x", "passenger_count": 1, "updated_at": "2023-01-01T00:00:00Z"}], "next_cursor": null}"#,
         .contract, "\"price\" must be a number or a string, got an object"),
        (#"{"orders": [{"order_id": 1, "customer_name": "A", "price": 1, "order_date": "2023-01-01", "product_id": "x", "passenger_count": 1, "updated_at": "2023-01-01 00:00"}], "next_cursor": null}"#,
         .contract, "is not an ISO-8601 time"),
        (#"{"orders": [], "next_cursor": ""}"#, .contract, "non-empty string or null"),
        (#"[]"#, .contract, "expected a JSON object"),
    ])
    func brokenPagesFailTheirPull(body: String, code: SupplierError.Code, message: String) {
        do {
            _ = try OrdersPage.decode(Data(body.utf8), page: 2)
            Issue.record("decoded \(body)")
        } catch {
            #expect(error.code == code)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test(arguments: [
        ("2023-12-10T02:00:00Z", "2023-12-10T02:00:00.000000Z"),
        ("2023-12-10T02:00:00.5+02:00", "2023-12-10T00:00:00.500000Z"),
        ("2023-12-10 02:00:00.000001-0130", "2023-12-10T03:30:00.000001Z"),
        ("2024-02-29T23:59:59.999999999+00", "2024-02-29T23:59:59.999999Z"),
        ("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.500000Z"),
    ])
    func timestampsAreExactToTheMicrosecond(text: String, expected: String) throws {
        let timestamp = try #require(SupplierTimestamp(iso8601: text))
        #expect(timestamp.iso8601 == expected)
        #expect(SupplierTimestamp(iso8601: timestamp.iso8601) == timestamp)
    }

    @Test(arguments: ["2023-12-10T02:00:00", "2023-02-29T00:00:00Z", "2023-12-10T24:00:00Z", "2023-12-10", "2023-12-10T02:00:00.Z", "x023-12-10T02:00:00Z"])
    func badTimestampsAreRefused(text: String) {
        #expect(SupplierTimestamp(iso8601: text) == nil)
    }
}
