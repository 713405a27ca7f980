/// The as-of day of a report, written `YYYY-MM-DD`.
///
/// A public face for the loader's internal ``CalendarDate`` (same strict rules: a real day,
/// four-digit year, zero-padded month and day), so `--as-of` is refused before any connection is
/// made. Sent to the server as a bound parameter, never pasted into SQL.
public struct ReportDate: Sendable, Hashable, CustomStringConvertible {
    let date: CalendarDate

    /// Accepts exactly `YYYY-MM-DD` naming a day that exists (`2024-02-29` yes, `2023-02-29` no).
    public init?(_ text: String) {
        guard text.utf8.count == 10, text.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let date = CalendarDate(iso: text) else { return nil }
        self.date = date
    }

    public var description: String { date.iso }
}

extension ReportDate: PostgresBindable {
    public var postgresText: String? { description }
}
