import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// `export-sqlite` on an existing application.db: only what the loads since its batch changed is
/// written, the result equals a full export and the reference computed from the input rows, and
/// whatever cannot be updated safely is rewritten whole.
@Suite(.blockingWork) struct ExportIncrementalTests {
    typealias Order = ExportReference.Order
    static let asOf = "2023-12-10"
    static let windowStart = "2023-12-04"

    /// Full snapshots: changes, a removal, a customer change, a restore, and ties in the week.
    static let days: [[Order]] = [
        [
            Order(customer: "Ann", id: 1, cents: 1000, date: "2023-12-01", product: "transfer", passengers: 1),
            Order(customer: "Bob", id: 2, cents: 500, date: "2023-12-09", product: "lounge", passengers: 2),
            Order(customer: "Cid", id: 3, cents: 700, date: "2023-12-10", product: "parking", passengers: 1),
            Order(customer: "Dee", id: 4, cents: 300, date: "2023-12-08", product: "transfer", passengers: 1),
            Order(customer: "Ann", id: 7, cents: 500, date: "2023-12-05", product: "parking", passengers: 1),
        ],
        // 1's price changes, 2 is removed, 4 moves to Eve, 5 is new.
        [
            Order(customer: "Ann", id: 1, cents: 1200, date: "2023-12-01", product: "transfer", passengers: 1),
            Order(customer: "Cid", id: 3, cents: 700, date: "2023-12-10", product: "parking", passengers: 1),
            Order(customer: "Eve", id: 4, cents: 300, date: "2023-12-08", product: "transfer", passengers: 1),
            Order(customer: "Fay", id: 5, cents: 100, date: "2023-12-10", product: "parking", passengers: 1),
            Order(customer: "Ann", id: 7, cents: 500, date: "2023-12-05", product: "parking", passengers: 1),
        ],
        // 2 comes back, 1 is removed, 3 and 5 change, 6 is new.
        [
            Order(customer: "Bob", id: 2, cents: 500, date: "2023-12-09", product: "lounge", passengers: 2),
            Order(customer: "Cid", id: 3, cents: 700, date: "2023-12-10", product: "parking", passengers: 3),
            Order(customer: "Eve", id: 4, cents: 300, date: "2023-12-08", product: "transfer", passengers: 1),
            Order(customer: "Fay", id: 5, cents: 100, date: "2023-12-06", product: "parking", passengers: 1),
            Order(customer: "Ann", id: 6, cents: 250, date: "2023-12-07", product: "transfer", passengers: 1),
            Order(customer: "Ann", id: 7, cents: 500, date: "2023-12-05", product: "parking", passengers: 1),
        ],
    ]

    func exporter(_ database: TestDatabase, to path: URL, incremental: Bool = true) throws -> SQLiteExporter {
        var exporter = SQLiteExporter(
            connection: try database.connect(), destination: path, asOf: Self.asOf, sourceDescription: "embedded cluster")
        exporter.allowIncremental = incremental
        return exporter
    }

    func load(_ database: TestDatabase, _ orders: [Order]) throws {
        _ = try IngestFixtures.ingest(database, ExportReference(orders: orders).csv) { $0.allowShrink = true }
    }

    func read<R>(_ path: URL, _ body: (SQLiteDatabase) throws -> R) throws -> R {
        let database = try SQLiteDatabase(path: path.path, mode: .readOnly)
        defer { try? database.close() }
        return try body(database)
    }

    @Test func incrementalAfterEachLoadEqualsFullExportAndTheReference() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        try withTemporaryDirectory { directory in
            let kept = directory.appendingPathComponent("kept.db")
            let fresh = directory.appendingPathComponent("fresh.db")
            for (day, orders) in Self.days.enumerated() {
                try load(database, orders)
                let updated = try exporter(database, to: kept).run()
                let rebuilt = try exporter(database, to: fresh, incremental: false).run()
                #expect(updated.kind == (day == 0 ? .full : .incremental), "day \(day + 1)")
                #expect(rebuilt.kind == .full && rebuilt.fullReason == "requested")
                if day == 0 { #expect(updated.fullReason == "no file yet") }
                if day > 0 { #expect(updated.sinceBatchID == Int64(day)) }
                #expect(updated.lastBatchID == Int64(day + 1))

                let expected = ExportReference(orders: orders).expected(asOf: Self.asOf, windowStart: Self.windowStart)
                #expect(try read(kept, ExportReference.read) == expected, "day \(day + 1), incremental")
                #expect(try read(fresh, ExportReference.read) == expected, "day \(day + 1), full")
                #expect(try read(kept, ExportReference.dump) == read(fresh, ExportReference.dump), "day \(day + 1)")
                #expect(try read(kept) { try $0.rows(sql: "pragma integrity_check") } == [[.text("ok")]])
                #expect(try read(kept) { try $0.rows(sql: "pragma foreign_key_check") }.isEmpty)
                #expect(try read(kept) { try $0.scalar(sql: "select value from export_info where key = 'export_kind'") }
                    == .text(updated.kind.rawValue))

                // Only the changed orders were written.
                let facts = try #require(updated.table("fact_orders"))
                switch day {
                case 1: #expect((facts.inserted, facts.updated, facts.deleted) == (1, 2, 1))  // 5 | 1, 4 | 2
                case 2: #expect((facts.inserted, facts.updated, facts.deleted) == (2, 2, 1))  // 2, 6 | 3, 5 | 1
                default: break
                }
                #expect(facts.rows == orders.count)
            }

            // Nothing loaded since: nothing but the reports and export_info is written.
            let again = try exporter(database, to: kept).run()
            #expect(again.kind == .incremental)
            for name in ["dim_customers", "dim_products", "dim_dates", "fact_orders"] {
                let table = try #require(again.table(name))
                #expect(table.inserted + table.updated + table.deleted == 0, "\(name)")
            }
        }
    }

    /// An incremental (API-style) load never removes; its changes arrive all the same.
    @Test func incrementalLoadsAreFollowedToo() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("application.db")
            try load(database, Self.days[0])
            try exporter(database, to: path).run()
            let extra = [
                Order(customer: "Gus", id: 8, cents: 999, date: "2023-12-10", product: "lounge", passengers: 4),
                Order(customer: "Ann", id: 7, cents: 5000, date: "2023-12-05", product: "parking", passengers: 1),
            ]
            _ = try IngestFixtures.ingest(database, ExportReference(orders: extra).csv) { $0.incremental = true }
            let summary = try exporter(database, to: path).run()
            #expect(summary.kind == .incremental)
            let all = Self.days[0].filter { $0.id != 7 } + extra
            #expect(try read(path, ExportReference.read) == ExportReference(orders: all).expected(asOf: Self.asOf, windowStart: Self.windowStart))
        }
    }

    /// A reader of the file sees the old state until the commit and the new one after; never a mix.
    @Test func aReaderSeesTheOldFileUntilTheCommit() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("application.db")
            try load(database, Self.days[0])
            try exporter(database, to: path).run()
            try load(database, Self.days[1])
            let before = ExportReference(orders: Self.days[0]).expected(asOf: Self.asOf, windowStart: Self.windowStart)
            let after = ExportReference(orders: Self.days[1]).expected(asOf: Self.asOf, windowStart: Self.windowStart)

            let seen = Locked<[Int]>([])  // the day (1 or 2) each of the reader's reads matched
            let problems = Locked<[String]>([])
            let stop = Locked(false)
            let finished = DispatchSemaphore(value: 0)
            let filePath = path.path
            let reader = Thread {
                defer { finished.signal() }
                do {
                    let file = try SQLiteDatabase(path: filePath, mode: .readOnly)
                    try file.execute(sql: "pragma busy_timeout = 30000")
                    while true {
                        let last = stop.withLock { $0 }
                        let state = try file.transaction { try ExportReference.read(file) }
                        if state == before {
                            seen.withLock { $0.append(1) }
                        } else if state == after {
                            seen.withLock { $0.append(2) }
                        } else {
                            problems.withLock { $0.append("a read matched neither state: \(state)") }
                        }
                        if last { break }
                    }
                } catch {
                    problems.withLock { $0.append("reader failed: \(error)") }
                }
            }
            reader.start()

            var update = try exporter(database, to: path)
            var readsDuringUpdate: [Int] = []
            update.beforeCommit = {
                // Every change is made but not committed: wait for two more reads (the first may
                // have begun before this point), polling the reader's progress.
                let start = seen.withLock { $0.count }
                let deadline = Date().addingTimeInterval(60)
                while seen.withLock({ $0.count }) < start + 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
                readsDuringUpdate = seen.withLock { Array($0[start...]) }
            }
            let summary = try update.run()
            stop.withLock { $0 = true }
            #expect(finished.wait(timeout: .now() + 60) == .success)

            #expect(summary.kind == .incremental)
            #expect(problems.withLock { $0 }.isEmpty, "\(problems.withLock { $0 })")
            #expect(readsDuringUpdate.count >= 2 && readsDuringUpdate.allSatisfy { $0 == 1 }, "\(readsDuringUpdate)")
            #expect(seen.withLock { $0.last } == 2)
            let order = seen.withLock { $0 }
            #expect(order == order.sorted(), "once the new state is seen, the old one never comes back: \(order)")
        }
    }

    @Test func aFailureHalfwayLeavesTheFileAsItWas() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("application.db")
            try load(database, Self.days[0])
            try exporter(database, to: path).run()
            let bytes = try Data(contentsOf: path)
            try load(database, Self.days[1])
            struct Injected: Error {}
            var failing = try exporter(database, to: path)
            failing.afterRow = { table, rows in if table == "fact_orders" && rows == 2 { throw Injected() } }
            #expect(throws: Injected.self) { try failing.run() }
            #expect(try Data(contentsOf: path) == bytes)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["application.db"])
            #expect(try exporter(database, to: path).run().kind == .incremental)
        }
    }

    @Test func whatCannotBeUpdatedIsRebuiltWhole() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("application.db")
            try load(database, Self.days[0])

            try Data("not a database at all".utf8).write(to: path)
            #expect(try exporter(database, to: path).run().fullReason?.contains("not an application.db") == true)

            var earlier = try exporter(database, to: path)
            earlier.atBatch = 1
            #expect(try earlier.run().fullReason == "--at-batch")
            #expect(try exporter(database, to: path).run().fullReason == "the file was made with --at-batch")

            let file = try SQLiteDatabase(path: path.path)
            try file.execute(sql: "update export_info set value = 1 where key = 'format_version'")
            try file.close()
            #expect(try exporter(database, to: path).run().fullReason?.contains("layout version 1") == true)

            let other = try TestDatabase.fresh()
            defer { try? other.drop() }
            try load(other, Self.days[0])
            #expect(try exporter(other, to: path).run().fullReason == "the file was made from another database")
            #expect(try exporter(other, to: path).run().kind == .incremental)
        }
    }
}
