import Foundation
/// One row of `ops.load_batches`, as the dashboard shows it.
struct LoadRecord: Sendable, Equatable {
    let batchID: Int
    /// `succeeded`, `skipped` (same content as an earlier load) or `failed`.
    let status: String
    let source: String
    let sourceKind: String
    /// When it finished, ISO 8601 in UTC (`2023-12-10T06:00:00Z`).
    let finishedAt: String
    /// Seconds between the finish and the database's `now()`: the database's clock, not this
    /// host's, so a skewed web host cannot make fresh data look stale.
    let ageSeconds: Double
    let rowsRead: Int?
    let inserted: Int?
    let updated: Int?
    let unchanged: Int?
    let rejected: Int?
    let missing: Int?
    let error: String?

    /// `2023-12-10 06:00 UTC`.
    var finishedAtText: String {
        let trimmed = finishedAt.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
        return String(trimmed.prefix(16)) + " UTC"
    }

    /// `just now`, `5 minutes ago`, `3 hours ago`, `2 days ago`.
    var ageText: String { Self.ageText(seconds: ageSeconds) }

    static func ageText(seconds: Double) -> String {
        func unit(_ count: Int, _ name: String) -> String { "\(count) \(name)\(count == 1 ? "" : "s") ago" }
        switch max(0, seconds) {
        case ..<60: return "just now"
        case ..<3_600: return unit(Int(seconds / 60), "minute")
        case ..<172_800: return unit(Int(seconds / 3_600), "hour")
        default: return unit(Int(seconds / 86_400), "day")
        }
    }
}
