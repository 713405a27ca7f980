import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// The binary COPY values the bulk load writes, read back by the server as text and compared with
/// the decimal and ISO text computed here.
@Suite(.blockingWork) struct CopyBinaryTests {
    @Test func pricesDatesAndIntegersArriveAsWritten() throws {
        let database = try TestDatabase.fresh(migrated: false)
        defer { try? database.drop() }
        let connection = try database.connect()
        try connection.execute("create table t (n int primary key, price numeric(12,2), day date, big bigint, small smallint)")
        var cents: [Int64] = [0, 1, 5, 10, 50, 99, 100, 101, 1_000, 9_999, 10_000, 10_001, 123_456, 999_900, 1_000_000,
                              100_000_000, 100_000_001, 123_456_789_012, 999_999_999_999]
        var state: UInt64 = 3
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            cents.append(Int64(state >> 24) % 1_000_000_000_000 / Int64(1 + (state >> 60) * 1_000))
        }
        let days = ["1000-01-01", "1970-01-01", "1999-12-31", "2000-01-01", "2000-02-29", "2023-12-10", "9999-12-31"]
        let copied = try connection.copyIn("copy t (n, price, day, big, small) from stdin with (format binary)") { writer in
            CopyBinary.appendHeader(to: writer.pending)
            for (index, value) in cents.enumerated() {
                CopyBinary.appendFieldCount(5, to: writer.pending)
                CopyBinary.appendInt32(Int32(index), to: writer.pending)
                CopyBinary.appendCents(value, to: writer.pending)
                CopyBinary.appendDate(CivilDate(iso: days[index % days.count])!, to: writer.pending)
                CopyBinary.appendInt64(index % 2 == 0 ? Int64.max - Int64(index) : -Int64(index), to: writer.pending)
                CopyBinary.appendInt16(Int16(truncatingIfNeeded: index * 7 - 500), to: writer.pending)
                try writer.flushIfNeeded()
            }
            CopyBinary.appendTrailer(to: writer.pending)
        }
        #expect(copied == cents.count)
        let rows = try connection.execute("select n, price::text as price, day::text as day, big, small from t order by n").rows
        var wrong: [String] = []
        for (index, row) in rows.enumerated() {
            let value = cents[index]
            let expected = "\(value / 100).\(value % 100 < 10 ? "0" : "")\(value % 100)"
            let ok = try row.string("price") == expected && row.string("day") == days[index % days.count]
                && row.int("big") == (index % 2 == 0 ? Int(Int64.max) - index : -index)
                && row.int("small") == Int(Int16(truncatingIfNeeded: index * 7 - 500))
            if !ok { wrong.append("\(index): \(value) → \(try row.string("price")) \(try row.string("day"))") }
        }
        #expect(rows.count == cents.count)
        #expect(wrong.isEmpty, "first: \(wrong.prefix(5))")
    }
}
