import Foundation

/// What a load did, for people (``text``) and for scripts (`--json`, Codable).
public struct IngestSummary: Sendable, Codable {
    public enum Outcome: String, Sendable, Codable {
        /// Merged and committed.
        case loaded
        /// The same content was loaded before: nothing changed.
        case alreadyLoaded = "already_loaded"
        /// `warehouse check`: computed, then rolled back.
        case checked
    }

    public var outcome: Outcome
    public var batchID: Int?
    public var duplicateOfBatchID: Int?
    public var source: String
    public var contentSHA256: String?
    /// The content's size in bytes (decompressed), as fingerprinted.
    public var contentBytes: Int?
    public var mode: String
    /// Records read (the header not counted); a record may span several physical lines.
    public var rowsRead = 0
    /// Physical lines after the header, blank ones included: what reject limits count.
    public var linesRead = 0
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public var rejected = 0
    /// Physical lines the rejected records covered.
    public var rejectedLines = 0
    /// Exact repeats of a row within the file, counted once.
    public var duplicates = 0
    /// Known orders this full snapshot no longer lists: removed (kept in history, counted
    /// nowhere); nil for incremental loads, which never remove.
    public var removed: Int?
    /// Removed orders this load listed again: counted again.
    public var restored = 0
    public var newCustomers = 0
    public var newProducts = 0
    public var newDates = 0
    public var elapsedSeconds = 0.0
    public var warnings: [String] = []
    public var firstRejects: [RejectedRow] = []
    /// Where the time went, phase by phase.
    public var phases: [Phase] = []

    public struct Phase: Sendable, Codable {
        public var name: String
        public var seconds: Double
    }

    public var rowsPerSecond: Double { elapsedSeconds > 0 ? Double(rowsRead) / elapsedSeconds : 0 }

    enum CodingKeys: String, CodingKey {
        case outcome, batchID = "batch_id", duplicateOfBatchID = "duplicate_of_batch_id", source
        case contentSHA256 = "content_sha256", mode, rowsRead = "rows_read", linesRead = "lines_read", inserted, updated, unchanged
        case rejected, rejectedLines = "rejected_lines", duplicates, removed, restored, newCustomers = "new_customers", newProducts = "new_products"
        case newDates = "new_dates", elapsedSeconds = "elapsed_seconds", warnings, firstRejects = "first_rejects", phases
    }

    /// The human summary.
    public var text: String {
        let seconds = String(format2(elapsedSeconds))
        switch outcome {
        case .alreadyLoaded:
            return "\(source): already loaded as batch \(duplicateOfBatchID.map(String.init) ?? "?") "
                + "(same content, sha256 \(contentSHA256.map { String($0.prefix(12)) } ?? "?")…); nothing changed"
                + (batchID.map { ". Recorded as skipped batch \($0)." } ?? ".")
        case .loaded, .checked:
            var lines: [String] = []
            let head = outcome == .checked ? "\(source): check only, nothing was written" : "\(source): loaded as batch \(batchID.map(String.init) ?? "?")"
            lines.append(head + " in \(seconds) s (\(Int(rowsPerSecond.rounded())) rows/s)")
            lines.append("  rows read   \(rowsRead)  (\(linesRead) \(linesRead == 1 ? "line" : "lines"))")
            lines.append("  inserted    \(inserted)")
            lines.append("  updated     \(updated)")
            lines.append("  unchanged   \(unchanged)")
            let rejectedLineNote = rejectedLines != rejected ? "  (\(rejectedLines) lines)" : ""
            lines.append("  rejected    \(rejected)" + rejectedLineNote + (rejected > 0 && batchID != nil && outcome == .loaded ? "  (see ops.rejected_rows where batch_id = \(batchID!))" : ""))
            if duplicates > 0 { lines.append("  duplicates  \(duplicates)  (exact repeats, counted once)") }
            if let removed { lines.append("  removed     \(removed)  (known orders this snapshot no longer lists; kept in history, counted nowhere)") }
            if restored > 0 { lines.append("  restored    \(restored)  (removed earlier, listed again)") }
            if newCustomers + newProducts + newDates > 0 {
                lines.append("  new members \(newCustomers) customers, \(newProducts) products, \(newDates) dates")
            }
            for reject in firstRejects.prefix(10) { lines.append("  reject " + reject.summary) }
            if rejected > firstRejects.prefix(10).count { lines.append("  … \(rejected - firstRejects.prefix(10).count) more rejects") }
            for warning in warnings { lines.append("  warning: " + warning) }
            return lines.joined(separator: "\n")
        }
    }
}

func format2(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

extension IngestSummary {
    /// Pretty-printed JSON with sorted keys.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

extension IngestSummary {
    /// Whether the load inserted, changed, restored or removed any order.
    var changedOrders: Bool { inserted + updated + restored + (removed ?? 0) > 0 }
}
