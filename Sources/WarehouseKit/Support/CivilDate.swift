/// A calendar day (proleptic Gregorian, no time zone): the one date type of the code base.
///
/// Stored as year, month and day in four bytes, because the loader's hot path needs exactly those
/// (the `yyyymmdd` key of `dim_dates`, the ISO text it lands); days since 1970-01-01 are computed on
/// demand with integer arithmetic only (Howard Hinnant's `days_from_civil`), so they are exact and
/// the same everywhere: no `Calendar`, no time zones. Comparable in calendar order.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public var month: Int { Int(storedMonth) }
    public var day: Int { Int(storedDay) }
    private let storedMonth: UInt8
    private let storedDay: UInt8

    /// The date `year-month-day`, or `nil` when that day does not exist (2023-02-30) or the year is
    /// outside 0…9999, the years ISO `YYYY` text can write.
    @inline(__always)
    public init?(year: Int, month: Int, day: Int) {
        guard (0...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= Self.daysIn(month: month, year: year) else { return nil }
        self.year = year
        storedMonth = UInt8(truncatingIfNeeded: month)
        storedDay = UInt8(truncatingIfNeeded: day)
    }

    /// The day `daysSinceEpoch` days after 1970-01-01 (before it when negative).
    public init(daysSinceEpoch: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        storedMonth = UInt8(month)
        storedDay = UInt8(day)
    }

    /// Parses exactly `YYYY-MM-DD` (ASCII digits, zero-padded), and only real calendar days from
    /// year 1 (PostgreSQL has no year 0): the one ISO date parser, used for `--as-of`, `--start`,
    /// query strings and stored text.
    public init?(iso text: some StringProtocol) {
        var text = String(text)
        guard let parsed = text.withUTF8({ Self(isoBytes: UnsafeBufferPointer(rebasing: $0[...])) }) else { return nil }
        self = parsed
    }

    /// `YYYY-MM-DD` at the start of `bytes`, which must hold exactly ten bytes.
    @inline(__always)
    init?(isoBytes bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = Self.digits(bytes, 0, 4), let month = Self.digits(bytes, 5, 2), let day = Self.digits(bytes, 8, 2)
        else { return nil }
        guard year >= 1 else { return nil }
        self.init(year: year, month: month, day: day)
    }

    @inline(__always)
    static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for index in start..<(start + count) {
            let digit = Int(bytes[index]) &- 48
            guard digit >= 0, digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// Days since 1970-01-01 (negative before it).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public var components: (year: Int, month: Int, day: Int) { (year, month, day) }

    /// `yyyymmdd`: the key of `dim_dates`, and an order-preserving integer.
    @inline(__always)
    public var key: Int32 { Int32(truncatingIfNeeded: year * 10_000 + month * 100 + day) }

    /// The date of a `yyyymmdd` key, or nil when the key names no calendar day.
    public init?(key: Int32) {
        self.init(year: Int(key / 10_000), month: Int(key / 100 % 100), day: Int(key % 100))
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        let offset = (daysSinceEpoch % 7 + 7) % 7
        return (offset + 3) % 7 + 1
    }

    public func adding(days: Int) -> CivilDate {
        CivilDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// `YYYY-MM-DD` as ASCII bytes (years 0…9999).
    public var isoBytes: [UInt8] {
        func digits(_ value: Int, _ count: Int) -> [UInt8] {
            var out = [UInt8](repeating: UInt8(ascii: "0"), count: count)
            var rest = value
            for index in stride(from: count - 1, through: 0, by: -1) {
                out[index] = UInt8(48 + rest % 10)
                rest /= 10
            }
            return out
        }
        return digits(year, 4) + [UInt8(ascii: "-")] + digits(month, 2) + [UInt8(ascii: "-")] + digits(day, 2)
    }

    /// `YYYY-MM-DD`.
    public var description: String { String(decoding: isoBytes, as: UTF8.self) }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.key < rhs.key }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }
}

/// Sent to PostgreSQL as `YYYY-MM-DD` text, a bound parameter like every value.
extension CivilDate: PostgresBindable {
    public var postgresText: String? { description }
}
