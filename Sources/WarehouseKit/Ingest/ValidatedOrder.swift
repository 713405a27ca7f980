/// One input row after validation and normalisation, ready to be keyed and landed.
struct ValidatedOrder: Equatable {
    var orderID: Int64
    /// Trimmed, inner whitespace collapsed; valid UTF-8, no NUL.
    var customerName: String
    /// Lower-case, `-` and spaces as `_`.
    var productID: String
    /// Exact price in cents: no binary floating point anywhere.
    var priceCents: Int64
    var date: CalendarDate
    var passengerCount: Int32
}

/// Why a row was rejected: the column (nil for the whole record) and a reason a person can act on.
struct RowRejection: Error, Equatable {
    var column: String?
    var reason: String
}

/// A proleptic Gregorian calendar day, validated on construction.
struct CalendarDate: Hashable, Comparable {
    let year: Int
    let month: Int
    let day: Int

    init?(year: Int, month: Int, day: Int) {
        guard (1000...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    static func daysIn(month: Int, year: Int) -> Int { CivilDate.daysIn(month: month, year: year) }

    /// yyyymmdd, the `dim_dates` key.
    var key: Int32 { Int32(year * 10_000 + month * 100 + day) }

    static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool { lhs.key < rhs.key }

    /// `YYYY-MM-DD`.
    var iso: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Parses `YYYY-MM-DD`, e.g. a command-line `--as-of`.
    init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        self.init(year: year, month: month, day: day)
    }
}

/// Which calendar days a load has met, as a bitmap over years 1000–9999 (about 3.7 MB when
/// first used): one store per row instead of a hash-set insert.
struct DateSet {
    private var seen: [Bool] = []
    private(set) var members: [Int32] = []

    @inline(__always) private static func index(_ key: Int32) -> Int {
        Int(key / 10_000 - 1000) * 416 + Int(key / 100 % 100) * 32 + Int(key % 100)
    }

    /// Adds `key` (yyyymmdd); returns true when it was new.
    @inline(__always)
    mutating func insert(_ key: Int32) -> Bool {
        if seen.isEmpty { seen = [Bool](repeating: false, count: 9_000 * 416) }
        let index = Self.index(key)
        if seen[index] { return false }
        seen[index] = true
        members.append(key)
        return true
    }
}
