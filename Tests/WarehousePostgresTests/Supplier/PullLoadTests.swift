import Foundation
import Testing
@testable import WarehouseKit
import WarehouseFakeSupplier
import WarehouseTestSupport

@Suite("Pull: loading from the supplier's API", .blockingWork)
struct PullLoadTests {
    @Test func severalPagesLoadAsOneBatch() async throws {
        try await PullFixture.with { f in
            f.supplier.put(PullFixture.orders(1...25))
            let summary = try await f.pull()

            #expect(summary.pages == 3)
            #expect(summary.ordersReceived == 25)
            #expect(summary.load?.inserted == 25)
            #expect(try f.count("warehouse.fact_orders") == 25)
            let batches = try f.batches()
            #expect(batches.count == 1)
            #expect(batches.first?.status == "succeeded" && batches.first?.mode == "incremental" && batches.first?.kind == "api")
            #expect(batches.first?.rowsRead == 25)
            #expect(try f.mark == "2023-12-01T08:00:24.000000Z")
            let state = try f.connection.execute("select last_batch_id, source from ops.api_sync_state").single()
            #expect(try state.optionalInt("last_batch_id") == summary.batchID)
            #expect(try state.string("source") == f.supplier.baseURL.absoluteString)

            let requests = f.supplier.requests
            #expect(requests.map { $0.query["cursor"] } == [nil, "p+10/=", "p+20/="])
            #expect(requests.allSatisfy { $0.query["limit"] == "10" && $0.query["updated_since"] == nil })
            #expect(requests.allSatisfy { $0.authorization == "Bearer \(f.supplier.token)" })

            // Every raw page and the replayable CSV are landed.
            #expect(summary.pageFiles.count == 3)
            #expect(summary.pageFiles.allSatisfy { FileManager.default.fileExists(atPath: $0) && $0.contains("/landing/") })
            let csv = try String(contentsOfFile: try #require(summary.csvFile), encoding: .utf8)
            #expect(csv.hasPrefix("customer_name,order_id,price,order_date,product_id,passenger_count\n"))
            #expect(csv.split(separator: "\n").count == 26)
            #expect(!f.logs.all.joined().contains(f.supplier.token))
        }
    }

    @Test func anIncrementalPullAsksOnlyForChanges() async throws {
        try await PullFixture.with { f in
            f.supplier.put(PullFixture.orders(1...10))
            _ = try await f.pull()
            let firstMark = try #require(try f.mark)

            var changed = PullFixture.orders(10...13, updatedFrom: "2023-12-02T09:00:00Z")
            changed[0].price = "99.99"  // order 10 changes, 11-13 are new
            f.supplier.put(changed)
            let second = try await f.pull()

            #expect(f.supplier.requests.last?.query["updated_since"] == firstMark)
            // Inclusive: order 10's old version sits at the mark, so it comes again — now changed.
            #expect(second.ordersReceived == 4)
            #expect(second.load?.inserted == 3)
            #expect(second.load?.updated == 1)
            #expect(second.load?.removed == nil)
            #expect(try f.count("warehouse.fact_orders") == 13)
            #expect(try f.prices()[10] == "99.99")
            #expect(try f.mark == "2023-12-02T09:00:03.000000Z")
            #expect(second.previousMark == firstMark)
            #expect(try f.batches().map(\.status) == ["succeeded", "succeeded"])
        }
    }

    @Test func pricesStayExactAndBadOnesAreRejectedNotRounded() async throws {
        try await PullFixture.with { f in
            let at = "2023-12-01T08:00:00Z"
            f.supplier.put([
                .init(id: 1, customer: "A", price: "0.1", date: "2023-12-01", updatedAt: at),
                .init(id: 2, customer: "B", price: "19.99", date: "2023-12-01", updatedAt: at),
                .init(id: 3, customer: "C", price: "1e2", date: "2023-12-01", updatedAt: at),
                .init(id: 4, customer: "D", price: "12.345", date: "2023-12-01", updatedAt: at),
                .init(id: 5, customer: "E", price: #""7.5""#, date: "2023-12-01", updatedAt: at),
                .init(id: 6, customer: "F", price: "0.30000000000000004e1", date: "2023-12-01", updatedAt: at),
            ])
            let summary = try await f.pull { $0.maxRejects = .count(5) }

            #expect(try f.prices() == [1: "0.10", 2: "19.99", 3: "100.00", 5: "7.50"])
            #expect(summary.load?.rejected == 2)
            let reasons = try f.connection.execute("select reason from ops.rejected_rows order by line_number").rows.map { try $0.string("reason") }
            #expect(reasons.count == 2)
            #expect(reasons.first?.contains("more than 2 decimals: 12.345") == true)
            #expect(reasons.last?.contains("0.30000000000000004") == true || reasons.last?.contains("3.0000000000000004") == true)
        }
    }

    @Test func anOrderChangedDuringThePullLoadsOnlyItsLatestVersion() async throws {
        try await PullFixture.with { f in
            func order(_ id: Int, _ price: String, _ at: String) -> String {
                #"{"order_id": \#(id), "customer_name": "Ann", "price": \#(price), "order_date": "2023-12-01", "#
                    + #""product_id": "lounge", "passenger_count": 1, "updated_at": "\#(at)"}"#
            }
            f.supplier.misbehave(
                .body(#"{"orders": [\#(order(1, "10", "2023-12-01T08:00:00Z")), \#(order(2, "20", "2023-12-01T08:00:01Z"))], "next_cursor": "x"}"#),
                .body(#"{"orders": [\#(order(3, "30", "2023-12-01T08:00:02Z")), \#(order(1, "11", "2023-12-01T08:00:03Z"))], "next_cursor": null}"#))
            let summary = try await f.pull()

            #expect(summary.superseded == 1)
            #expect(summary.load?.rejected == 0)
            #expect(try f.prices() == [1: "11.00", 2: "20.00", 3: "30.00"])
            #expect(try f.mark == "2023-12-01T08:00:03.000000Z")
        }
    }

    @Test func fullResynchronisesAsASnapshot() async throws {
        try await PullFixture.with { f in
            f.supplier.put(PullFixture.orders(1...5))
            _ = try await f.pull()
            let summary = try await f.pull { $0.full = true }

            #expect(f.supplier.requests.last?.query["updated_since"] == nil)
            #expect(summary.mode == "full")
            #expect(summary.load?.unchanged == 5)
            #expect(summary.load?.removed == 0)
            #expect(try f.batches().map(\.mode) == ["incremental", "snapshot"])
        }
    }

    @Test func nothingNewIsRecordedAndATouchedOrderMovesTheMark() async throws {
        try await PullFixture.with { f in
            let empty = try await f.pull()
            #expect(empty.outcome == .nothingNew)
            #expect(empty.csvFile == nil)
            #expect(try f.batches().map(\.status) == ["succeeded"])
            #expect(try f.batches().first?.rowsRead == 0)
            #expect(try f.mark == nil)

            f.supplier.put(PullFixture.orders(1...3))
            _ = try await f.pull()
            let boundary = try await f.pull()  // the order at the mark comes again
            #expect(boundary.ordersReceived == 1)
            #expect(boundary.load?.unchanged == 1)

            // Touched without a change: the same CSV content as before, yet the mark moves.
            var touched = PullFixture.orders(3...3)
            touched[0].updatedAt = "2023-12-05T00:00:00Z"
            f.supplier.put(touched)
            let again = try await f.pull()
            #expect(again.outcome == .loaded)
            #expect(again.load?.unchanged == 1)
            #expect(try f.mark == "2023-12-05T00:00:00.000000Z")
            #expect(try f.count("warehouse.fact_orders") == 3)
        }
    }

    @Test func aRevertToAnEarlierPullsRowsIsApplied() async throws {
        try await PullFixture.with { f in
            let order = FakeSupplier.Order(id: 1, customer: "Ann", price: "10", date: "2023-12-01", updatedAt: "2023-12-01T08:00:00Z")
            f.supplier.put([order])
            _ = try await f.pull()
            var changed = order
            (changed.price, changed.updatedAt) = ("20", "2023-12-02T08:00:00Z")
            f.supplier.put([changed])
            _ = try await f.pull()
            #expect(try f.prices() == [1: "20.00"])

            // Set back: this pull's CSV is byte for byte the first one's, and must still apply.
            var reverted = order
            reverted.updatedAt = "2023-12-03T08:00:00Z"
            f.supplier.put([reverted])
            let summary = try await f.pull()
            #expect(summary.load?.updated == 1)
            #expect(try f.prices() == [1: "10.00"])
        }
    }

    @Test func aCSVURLLoadsAFullSnapshot() async throws {
        try await PullFixture.with { f in
            f.supplier.setCSV("customer_name,order_id,price,order_date,product_id,passenger_count\nAnn,1,1.50,2023-12-01,lounge,2\nBob,2,3,2023-12-02,transfer,1\n")
            let configuration = SupplierConfiguration(baseURL: nil, csvURL: f.supplier.csvURL, token: nil)
            let summary = try await f.pull(configuration: configuration)

            #expect(summary.mode == "csv")
            #expect(summary.load?.inserted == 2)
            #expect(try f.prices() == [1: "1.50", 2: "3.00"])
            #expect(try f.batches().map(\.mode) == ["snapshot"])
            #expect(summary.csvFile?.hasSuffix(".csv") == true)
        }
    }
}
