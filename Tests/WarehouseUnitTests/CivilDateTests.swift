import Testing
import WarehouseKit
import WarehouseTestSupport

/// The one date type: its two representations (y/m/d and days since 1970) must agree everywhere.
@Suite("CivilDate", .blockingWork)
struct CivilDateTests {
    @Test("days since 1970 and back give the same day, in calendar order, for 0001-01-01 … 9999-12-31")
    func roundTrip() throws {
        let first = try #require(CivilDate(iso: "0001-01-01")).daysSinceEpoch
        let last = try #require(CivilDate(iso: "9999-12-31")).daysSinceEpoch
        var previous: CivilDate?
        var wrong: [Int] = []
        for days in stride(from: first, through: last, by: 1) {
            let date = CivilDate(daysSinceEpoch: days)
            let ordered = previous.map { $0 < date && $0.key < date.key && $0.adding(days: 1) == date } ?? true
            if date.daysSinceEpoch != days || !ordered || (days % 97 == 0 && CivilDate(iso: date.description) != date) {
                wrong.append(days)
            }
            previous = date
        }
        #expect(wrong.isEmpty, "first wrong: \(wrong.prefix(3).map { CivilDate(daysSinceEpoch: $0).description })")
        #expect(previous?.description == "9999-12-31")
        // 2000-03-01 is 11,017 days after 1970-01-01 (30 years, 7 of them leap, plus Jan and Feb 2000).
        #expect(CivilDate(iso: "2000-03-01")?.daysSinceEpoch == 30 * 365 + 7 + 31 + 29)
    }

    @Test("the dim_dates key is yyyymmdd", arguments: [("2023-12-10", 20231210), ("1000-01-01", 10000101), ("2024-02-29", 20240229)])
    func key(iso: String, key: Int32) throws {
        #expect(try #require(CivilDate(iso: iso)).key == key)
        #expect(CivilDate(key: key) == CivilDate(iso: iso))
    }

    @Test("ISO text is exactly YYYY-MM-DD naming a real day from year 1",
          arguments: ["2023-2-01", "2023-02-1", "+023-02-01", "2023-02-30", "2023-13-01", "0000-01-01", "2023-02-01 ", "２０２３-01-01", ""])
    func refused(text: String) {
        #expect(CivilDate(iso: text) == nil)
    }
}
