import Foundation

/// Keeps orders dated in the future out of a pull.
///
/// The high-water mark is the latest `updated_at` loaded, and the next pull asks only for
/// orders changed at or after it. One order stamped 9999-12-31 (a supplier's clock or default
/// gone wrong) would make that the mark, and every later pull would then load nothing while
/// reporting success. So an order whose `updated_at` is more than a tolerance (24 h by default:
/// clocks differ a little) after the pull's start is rejected like any bad row, with its
/// reason, and the mark never passes the pull's start plus that tolerance.
///
/// Such an order is not written to the landing CSV, so replaying the CSV gives the same
/// warehouse. Its rejected row is numbered after the CSV's last line (it has no line there) and
/// its raw record is the order in the CSV's layout followed by its `updated_at`.
struct FutureTimestampGuard: Sendable {
    /// The latest `updated_at` accepted: the pull's start plus the tolerance.
    let latestAccepted: SupplierTimestamp
    let startedAt: SupplierTimestamp
    let tolerance: Duration
    /// The orders refused so far, in the order received; `line` is 0 until ``numbered(after:)``.
    private(set) var rejected: [RejectedRow] = []

    init(startedAt date: Date, tolerance: Duration) {
        startedAt = SupplierTimestamp(microseconds: Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down)))
        let toleranceMicroseconds = tolerance.components.seconds * 1_000_000 + tolerance.components.attoseconds / 1_000_000_000_000
        latestAccepted = SupplierTimestamp(microseconds: startedAt.microseconds + toleranceMicroseconds)
        self.tolerance = tolerance
    }

    /// False, and the order noted as rejected, when its `updated_at` is past ``latestAccepted``.
    /// - Parameter position: where it stood in the response ("page 2, order 17").
    mutating func admits(_ order: SupplierOrder, position: String) -> Bool {
        guard order.updatedAt > latestAccepted else { return true }
        var raw = ""
        order.appendCSVRecord(to: &raw)
        if raw.hasSuffix("\n") { raw.removeLast() }
        raw += "," + order.updatedAt.iso8601
        let reason = "updated_at \(order.updatedAt.iso8601) (\(position)) is more than \(Self.format(tolerance)) after the pull started "
            + "(\(startedAt.iso8601)): the supplier's clock is wrong; not loaded, or every later pull would skip the orders before it"
        rejected.append(RejectedRow(line: 0, column: "updated_at", reason: reason, raw: raw))
        return false
    }

    /// Whether `order` passes, without noting anything (a second reading of the landed pages).
    func accepts(_ order: SupplierOrder) -> Bool { order.updatedAt <= latestAccepted }

    /// The rejected rows numbered from the line after the landing CSV's last one.
    func numbered(after lastLine: Int) -> [RejectedRow] {
        rejected.enumerated().map { index, row in
            var row = row
            row.line = lastLine + 1 + index
            return row
        }
    }

    /// `24 h`, `90 min`, `30 s`.
    static func format(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        if seconds % 3600 == 0 { return "\(seconds / 3600) h" }
        if seconds % 60 == 0 { return "\(seconds / 60) min" }
        return "\(seconds) s"
    }
}
