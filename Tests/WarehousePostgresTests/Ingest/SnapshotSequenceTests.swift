import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// Daily full snapshots with removals, restores, changed prices, orders moved to another
/// customer and an earlier file sent again. After every load, and again by time travel to every
/// batch, the reports must equal a computation done here from the rows the warehouse should
/// reflect: not the product's SQL.
@Suite(.blockingWork) struct SnapshotSequenceTests {
    struct Order: Equatable {
        var id: Int
        var customer: String
        var cents: Int
        var date: String
        var product: String
        var passengers: Int

        var csv: String { "\(customer),\(id),\(cents / 100).\(String(format: "%02d", cents % 100)),\(date),\(product),\(passengers)" }
    }

    static func day(_ offset: Int) -> String {
        // 2023-11-11 plus offset days, offset 0...29 (November has 30 days).
        let day = 11 + offset
        return day <= 30 ? "2023-11-\(String(format: "%02d", day))" : "2023-12-\(String(format: "%02d", day - 30))"
    }

    static let first: [Order] = (1...60).map { id in
        Order(id: id, customer: "Cust \(["A", "B", "C", "D", "E", "F", "G", "H"][id % 8])", cents: 1000 + (id * 737) % 9000,
              date: day((id * 7) % 30), product: ["transfer", "parking", "lounge", "fast_track"][id % 4], passengers: 1 + id % 3)
    }

    static func file(_ orders: [Order]) -> String {
        IngestFixtures.header + orders.map(\.csv).joined(separator: "\n") + "\n"
    }

    static func money(_ cents: Int) -> String { "\(cents / 100).\(String(format: "%02d", cents % 100))" }

    /// Report 1, 2 and 3 (7 and 30 days to 2023-12-10) computed from the orders, as sets of rows.
    static func expectedReports(_ orders: [Order]) -> [String: Set<[String]>] {
        let byCustomer = Dictionary(grouping: orders, by: \.customer)
        let totals = Set(byCustomer.map { name, list in
            [name, "\(list.count)", money(list.map(\.cents).reduce(0, +)), list.map(\.date).min()!, list.map(\.date).max()!]
        })
        let latest = Set(byCustomer.map { name, list -> [String] in
            let last = list.max { ($0.date, $0.id) < ($1.date, $1.id) }!
            return [name, "\(last.id)", last.date, last.product, money(last.cents), "\(last.passengers)"]
        })
        func top(days: Int) -> Set<[String]> {
            let start = day(30 - days)
            let inWindow = orders.filter { $0.date >= start && $0.date <= "2023-12-10" }
            let sums = Dictionary(grouping: inWindow, by: \.customer).map { ($0.key, $0.value.map(\.cents).reduce(0, +), $0.value.count) }
            return Set(sums.map { name, cents, count in
                [String(sums.filter { $0.1 > cents }.count + 1), name, money(cents), "\(count)"]
            })
        }
        return ["total-orders": totals, "most-recent-order": latest, "top-7": top(days: 7), "top-30": top(days: 30)]
    }

    static func actualReports(_ connection: PostgresConnection, atBatch: Int? = nil) throws -> [String: Set<[String]>] {
        let asOf = CivilDate(iso: "2023-12-10")!
        func rows(_ request: ReportRequest) throws -> Set<[String]> {
            Set(try ReportQuery(request).run(on: connection).rows.map { $0.map { $0 ?? "" } })
        }
        return [
            "total-orders": try rows(ReportRequest(kind: .totalOrders, limit: .all, atBatch: atBatch)),
            "most-recent-order": try rows(ReportRequest(kind: .mostRecentOrder, limit: .all, atBatch: atBatch)),
            "top-7": try rows(ReportRequest(kind: .topCustomers, asOf: asOf, days: 7, limit: .all, atBatch: atBatch)),
            "top-30": try rows(ReportRequest(kind: .topCustomers, asOf: asOf, days: 30, limit: .all, atBatch: atBatch)),
        ]
    }

    /// The dashboard trend's days (migration 0011), computed from the orders: date → [orders, revenue].
    static func expectedDailyTotals(_ orders: [Order]) -> [String: [String]] {
        Dictionary(grouping: orders, by: \.date).mapValues { ["\($0.count)", money($0.map(\.cents).reduce(0, +))] }
    }

    static func actualDailyTotals(_ connection: PostgresConnection) throws -> [String: [String]] {
        let rows = try connection.execute("select order_date::text as d, orders::text as o, revenue::text as r from reporting.daily_totals").rows
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.string("d"), [try $0.string("o"), try $0.string("r")]) })
    }

    @Test func reportsFollowEverySnapshotAndEveryBatchCanBeRevisited() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let connection = try database.connect()
        var expectedAtBatch: [Int: [Order]] = [:]

        func load(_ orders: [Order], incremental: Bool = false, reflects: [Order]? = nil) throws -> IngestSummary {
            let summary = try IngestFixtures.ingest(database, Self.file(orders)) { $0.incremental = incremental }
            let state = reflects ?? orders
            #expect(try Self.actualReports(connection) == Self.expectedReports(state), "after batch \(summary.batchID ?? 0)")
            #expect(try Self.actualDailyTotals(connection) == Self.expectedDailyTotals(state), "after batch \(summary.batchID ?? 0)")
            try IngestFixtures.expectReportsConsistent(connection)
            if summary.outcome == .loaded, let batch = summary.batchID { expectedAtBatch[batch] = state }
            return summary
        }

        let first = Self.first
        let s1 = try load(first)
        #expect(s1.inserted == 60)

        // Day 2: two orders dropped, a price changed, an order moved to another customer, a date
        // moved, two new orders.
        var second = first.filter { $0.id != 5 && $0.id != 6 }
        second[second.firstIndex { $0.id == 10 }!].cents += 111
        second[second.firstIndex { $0.id == 11 }!].customer = "Cust Z"
        second[second.firstIndex { $0.id == 12 }!].date = Self.day(29)
        second += [Order(id: 61, customer: "Cust A", cents: 5000, date: Self.day(29), product: "lounge", passengers: 2),
                   Order(id: 62, customer: "Cust Y", cents: 700, date: Self.day(28), product: "transfer", passengers: 1)]
        let s2 = try load(second)
        #expect((s2.inserted, s2.updated, s2.removed, s2.restored) == (2, 3, 2, 0))
        let removedCount = try connection.execute("select count(*) as n from warehouse.removed_orders").single().int("n")
        #expect(removedCount == 2)

        // Day 3: order 5 comes back with a new price, order 7 is dropped.
        var third = second.filter { $0.id != 7 }
        var five = first.first { $0.id == 5 }!
        five.cents = 4242
        third.append(five)
        let s3 = try load(third)
        #expect((s3.inserted, s3.updated, s3.removed, s3.restored) == (0, 0, 1, 1))

        // The first file sent again: a normal load that reverts everything since.
        let s4 = try load(first)
        #expect(s4.outcome == .loaded, "an earlier file sent again is not 'already loaded'")
        #expect((s4.inserted, s4.updated, s4.removed, s4.restored) == (0, 4, 2, 2))

        // The same file once more: now it is what the warehouse reflects, and is skipped.
        let s5 = try load(first)
        #expect(s5.outcome == .alreadyLoaded)
        #expect(s5.duplicateOfBatchID == s4.batchID)

        // An incremental file changes and adds, and removes nothing.
        var changed = first.first { $0.id == 20 }!
        changed.cents = 99
        let added = Order(id: 63, customer: "Cust X", cents: 100, date: Self.day(29), product: "parking", passengers: 1)
        let s6 = try load([changed, added], incremental: true,
                          reflects: first.map { $0.id == 20 ? changed : $0 } + [added])
        #expect((s6.inserted, s6.updated, s6.removed) == (1, 1, nil))

        // Time travel: every batch's reports, computed again from the facts alive at that batch.
        #expect(expectedAtBatch.count == 5)
        for (batch, orders) in expectedAtBatch.sorted(by: { $0.key < $1.key }) {
            #expect(try Self.actualReports(connection, atBatch: batch) == Self.expectedReports(orders), "at batch \(batch)")
        }

        // History: order 5 was removed, then restored with a new price, then reverted.
        let versions = try connection.execute("""
            select valid_from_batch_id, valid_to_batch_id, ended_by, price::text as price
            from warehouse.order_versions where order_id = 5 order by valid_from_batch_id
            """).rows.map { [try $0.int("valid_from_batch_id").description, $0["valid_to_batch_id"] ?? "-", $0["ended_by"] ?? "-", try $0.string("price")] }
        let original = Self.money(first.first { $0.id == 5 }!.cents)
        #expect(versions == [
            ["\(s1.batchID!)", "\(s2.batchID!)", "removed", original],
            ["\(s3.batchID!)", "\(s4.batchID!)", "replaced", "42.42"],
            ["\(s4.batchID!)", "-", "-", original],
        ])
        let ledger = try connection.execute("""
            select rows_removed, rows_restored from ops.load_batches where batch_id = \(s4.batchID!)
            """).single()
        #expect((try ledger.int("rows_removed"), try ledger.int("rows_restored")) == (2, 2))
    }

    @Test func aRejectedRowOfAKnownOrderKeepsItAsItWas() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let connection = try database.connect()
        _ = try IngestFixtures.ingest(database, Self.file(Self.first))
        // Order 3's row is broken (its price), order 4's has a stray quote; order 9 changes.
        var lines = Self.first.map(\.csv)
        lines[2] = lines[2].replacingOccurrences(of: ".", with: ",")
        lines[3] = "\"" + lines[3]
        var nine = Self.first[8]
        nine.cents += 1
        lines[8] = nine.csv
        let summary = try IngestFixtures.ingest(database, IngestFixtures.header + lines.joined(separator: "\n") + "\n")
        #expect((summary.rejected, summary.updated, summary.removed) == (2, 1, 0))
        let expected = Self.first.map { $0.id == 9 ? nine : $0 }
        #expect(try Self.actualReports(connection) == Self.expectedReports(expected))
        try IngestFixtures.expectReportsConsistent(connection)
    }

    @Test func theLocalCopyOfTheKnownOrdersIsUsedOnlyWhileNothingElseChangedTheFacts() throws {
        let database = try TestDatabase.fresh()
        let other = try TestDatabase.fresh()
        defer { try? database.drop(); try? other.drop() }
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("known-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let connection = try database.connect()
        func load(_ target: TestDatabase, _ orders: [Order], force: Bool = false) throws -> String {
            let summary = try IngestFixtures.ingest(target, Self.file(orders)) {
                $0.knownOrdersDirectory = cache
                $0.force = force
            }
            #expect(try Self.actualReports(try target.connect()) == Self.expectedReports(orders))
            return summary.phases.map(\.name).first { $0.hasPrefix("read known orders") } ?? "bulk"
        }
        var second = Self.first
        second[0].cents += 5
        var third = second.filter { $0.id != 2 }
        third[4].customer = "Cust Q"

        #expect(try load(database, Self.first) == "bulk")
        #expect(try load(database, Self.first, force: true) == "read known orders (from the facts)")
        #expect(try load(database, second) == "read known orders (local copy)")
        #expect(try load(database, third) == "read known orders (local copy)")
        // Another database, same cache folder: not its copy.
        #expect(try load(other, Self.first) == "bulk")
        #expect(try load(other, second) == "read known orders (from the facts)")
        // A change made by hand: the copy no longer describes the facts, and the file wins.
        #expect(try load(database, third, force: true) == "read known orders (from the facts)")
        try connection.execute("update warehouse.fact_orders set price = price + 1 where order_id = 1")
        #expect(try load(database, third, force: true) == "read known orders (from the facts)")
        try IngestFixtures.expectReportsConsistent(connection)
    }

    @Test(arguments: [1, 1_000_000_007]) func sparseAndDenseIdsCompareAlike(step: Int) throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("known-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let orders = Self.first.map { order -> Order in
            var spread = order
            spread.id = order.id * step
            return spread
        }
        var next = orders.filter { $0.id != 3 * step }
        next[10].cents += 1
        next.append(Order(id: 61 * step, customer: "Cust New", cents: 100, date: Self.day(29), product: "lounge", passengers: 1))
        var summaries: [IngestSummary] = []
        for (snapshot, force) in [(orders, false), (orders, true), (next, false), (orders, true)] {
            summaries.append(try IngestFixtures.ingest(database, Self.file(snapshot)) {
                $0.knownOrdersDirectory = cache
                $0.force = force
            })
            #expect(try Self.actualReports(try database.connect()) == Self.expectedReports(snapshot))
        }
        #expect((summaries[2].inserted, summaries[2].updated, summaries[2].removed) == (1, 1, 1))
        #expect(summaries[2].phases.contains { $0.name == "read known orders (local copy)" })
        #expect((summaries[3].inserted, summaries[3].updated, summaries[3].removed, summaries[3].restored) == (0, 1, 1, 1))
    }

    @Test func aBatchThatDidNotSucceedOrDoesNotExistIsAClearError() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let connection = try database.connect()
        _ = try IngestFixtures.ingest(database, Self.file(Self.first))
        _ = try? IngestFixtures.ingest(database, IngestFixtures.header + "x,y,z,w,v,u\n")
        for (batch, words) in [(2, "did not succeed"), (99, "does not exist")] {
            #expect {
                try ReportQuery(ReportRequest(kind: .totalOrders, atBatch: batch)).run(on: connection)
            } throws: { error in
                String(describing: error).contains("batch \(batch) \(words)")
            }
        }
    }
}
