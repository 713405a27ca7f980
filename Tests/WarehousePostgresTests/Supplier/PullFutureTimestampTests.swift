import Foundation
import Testing
@testable import WarehouseKit
import WarehouseFakeSupplier
import WarehouseTestSupport

/// An `updated_at` far in the future would become the high-water mark, and every later pull
/// would then ask for changes after it and load nothing while reporting success. Such orders
/// are rejected like any bad row, and the mark never passes the pull's start plus a tolerance.
@Suite("Pull: updated_at in the future", .blockingWork)
struct PullFutureTimestampTests {
    /// The pulls run "at" 2023-12-10T12:00:00Z, whatever today is.
    static let now = Date(timeIntervalSince1970: 1_702_209_600)

    private func atNow(_ options: inout PullOptions) { options.now = { Self.now } }

    private struct Reject: Equatable {
        var line: Int
        var column: String?
        var reason: String
        var raw: String
    }

    private func rejects(_ f: PullFixture, batch: Int) throws -> [Reject] {
        try f.connection.execute("""
            select line_number, column_name, reason, raw_record from ops.rejected_rows
            where batch_id = \(batch) order by line_number
            """).rows.map {
            Reject(line: try $0.int("line_number"), column: try $0.optionalString("column_name"),
                   reason: try $0.string("reason"), raw: try $0.string("raw_record"))
        }
    }

    private func counts(_ f: PullFixture, batch: Int) throws -> (read: Int?, rejected: Int?) {
        let row = try f.connection.execute("select rows_read, rows_rejected from ops.load_batches where batch_id = \(batch)").single()
        return (try row.optionalInt("rows_read"), try row.optionalInt("rows_rejected"))
    }

    @Test func aFarFutureUpdatedAtIsRejectedAndLaterPullsStillLoad() async throws {
        try await PullFixture.with { f in
            var orders = PullFixture.orders(1...6, updatedFrom: "2023-12-10T08:00:00Z")
            orders[2].updatedAt = "9999-12-31T23:59:59Z"          // order 3
            orders[5].updatedAt = "2023-12-11T12:00:00.000001Z"   // order 6: a microsecond past now + 24 h
            f.supplier.put(orders)
            let twoRejects: (inout PullOptions) -> Void = { options in
                atNow(&options)
                options.maxRejects = .count(2)
            }
            let first = try await f.pull(twoRejects)

            #expect(first.ordersReceived == 6)
            #expect(first.load?.inserted == 4)
            #expect(first.load?.rejected == 2)
            #expect(first.load?.rowsRead == 6)
            #expect(Set(try f.prices().keys) == [1, 2, 4, 5])
            #expect(try f.mark == "2023-12-10T08:00:04.000000Z", "the latest accepted order's")
            #expect(try counts(f, batch: try #require(first.batchID)) == (6, 2))
            // Not in the landing CSV (header and 4 rows), so a replay gives the same warehouse;
            // numbered after its last line.
            let csv = try String(contentsOfFile: try #require(first.csvFile), encoding: .utf8)
            #expect(csv.split(separator: "\n").count == 5)
            let stored = try rejects(f, batch: try #require(first.batchID))
            #expect(stored.map(\.line) == [6, 7])
            #expect(stored.allSatisfy { $0.column == "updated_at" })
            // In the order received: order 6 is 5th on the page, order 3 (year 9999) last.
            #expect(stored.first?.reason.contains("2023-12-11T12:00:00.000001Z (page 1, order 5)") == true, "\(stored)")
            #expect(stored.last?.reason.contains("9999-12-31T23:59:59.000000Z (page 1, order 6)") == true, "\(stored)")
            #expect(stored.last?.reason.contains("more than 24 h after the pull started (2023-12-10T12:00:00.000000Z)") == true, "\(stored)")
            #expect(stored.last?.raw.hasPrefix("Customer 3,3,3.25,") == true && stored.last?.raw.hasSuffix(",9999-12-31T23:59:59.000000Z") == true,
                    "\(stored)")
            #expect(first.load?.firstRejects.map(\.line) == [6, 7])

            // A later change loads: the bad orders come again (at or after the mark) and are rejected again.
            f.supplier.put([.init(id: 7, customer: "Late", price: "7", date: "2023-12-10", updatedAt: "2023-12-10T09:00:00Z")])
            let second = try await f.pull(twoRejects)
            #expect(second.load?.inserted == 1)
            #expect(second.load?.rejected == 2)
            #expect(try f.prices()[7] == "7.00")
            #expect(try f.mark == "2023-12-10T09:00:00.000000Z")
        }
    }

    @Test func theToleranceIsInclusiveAndAdjustable() async throws {
        try await PullFixture.with { f in
            f.supplier.put([.init(id: 1, customer: "Ann", price: "1", date: "2023-12-10", updatedAt: "2023-12-11T12:00:00Z"),
                            .init(id: 2, customer: "Bob", price: "2", date: "2023-12-10", updatedAt: "2023-12-10T13:00:01Z")])
            let summary = try await f.pull { options in
                atNow(&options)
                options.maxRejects = .count(1)
            }
            #expect(summary.load?.inserted == 2, "now + 24 h exactly is accepted")
            #expect(try f.mark == "2023-12-11T12:00:00.000000Z")

            try f.connection.execute("truncate ops.api_sync_state")
            f.supplier.put([.init(id: 3, customer: "Cy", price: "3", date: "2023-12-10", updatedAt: "2023-12-10T12:30:00Z")])
            let shorter = try await f.pull { options in
                atNow(&options)
                options.futureTolerance = .seconds(3600)
                options.maxRejects = .count(2)
            }
            #expect(shorter.load?.rejected == 2, "both are more than an hour ahead")
            #expect(shorter.load?.unchanged == 1 || shorter.load?.inserted == 1)
            #expect(try f.mark == "2023-12-10T12:30:00.000000Z", "a full-resync-like reset, then only what is accepted")
        }
    }

    @Test func onlyFutureOrdersFailThePullAndKeepTheirRejects() async throws {
        try await PullFixture.with { f in
            f.supplier.put([.init(id: 9, customer: "Ann", price: "1", date: "2023-12-10", updatedAt: "2099-01-01T00:00:00Z")])
            let error = await #expect(throws: IngestError.self) { _ = try await f.pull(atNow) }
            #expect(error?.description.contains("none of the 1 rows is valid") == true, "\(error?.description ?? "")")
            #expect(error?.description.contains("2099-01-01T00:00:00.000000Z") == true, "\(error?.description ?? "")")
            #expect(try f.mark == nil)
            #expect(try f.count("warehouse.fact_orders") == 0)
            let batch = try f.connection.execute("select batch_id, status from ops.load_batches order by batch_id desc limit 1").single()
            #expect(try batch.string("status") == "failed")
            let stored = try rejects(f, batch: try batch.int("batch_id"))
            #expect(stored.map(\.column) == ["updated_at"])
            #expect(try counts(f, batch: try batch.int("batch_id")) == (1, 1))
        }
    }

    @Test func tooManyFutureOrdersRefuseThePull() async throws {
        try await PullFixture.with { (f: PullFixture) async throws in
            var orders = PullFixture.orders(1...10, updatedFrom: "2023-12-10T08:00:00Z")
            orders[0].updatedAt = "2030-01-01T00:00:00Z"
            orders[1].updatedAt = "2030-01-01T00:00:01Z"
            f.supplier.put(orders)
            let error = await #expect(throws: IngestError.self) {
                _ = try await f.pull { options in
                    atNow(&options)
                    options.maxRejects = .count(1)
                }
            }
            #expect(error?.description.contains("2 of 10 lines rejected") == true, "\(error?.description ?? "")")
            #expect(try f.count("warehouse.fact_orders") == 0)
            #expect(try f.mark == nil)
            // The failed batch keeps them, as it keeps the rows ingest refused.
            let batch = try f.connection.execute("select batch_id, status from ops.load_batches order by batch_id desc limit 1").single()
            #expect(try batch.string("status") == "failed")
            #expect(try rejects(f, batch: try batch.int("batch_id")).map(\.line) == [10, 11])
            #expect(try counts(f, batch: try batch.int("batch_id")) == (10, 2))
        }
    }

    @Test func aMarkAlreadyInTheFutureDrawsAWarning() async throws {
        try await PullFixture.with { f in
            try PullState(connection: f.connection, source: f.configuration.sourceKey)
                .advance(to: SupplierTimestamp(iso8601: "9999-12-31T00:00:00Z"), batchID: nil, replace: false)
            let summary = try await f.pull(atNow)
            #expect(summary.outcome == .nothingNew)
            #expect(summary.warnings.contains { $0.contains("9999-12-31") && $0.contains("--full") }, "\(summary.warnings)")
            #expect(f.logs.all.contains { $0.contains("warning") && $0.contains("--full") })
        }
    }
}
