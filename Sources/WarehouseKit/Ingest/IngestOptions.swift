public import Foundation

/// How much bad input a load tolerates before it refuses the whole file.
public enum RejectLimit: Sendable, Equatable, CustomStringConvertible {
    case count(Int)
    case percent(Double)

    /// Parses `N` or `N%`.
    public init?(_ text: String) {
        if text.hasSuffix("%") {
            guard let value = Double(text.dropLast()), value >= 0, value <= 100 else { return nil }
            self = .percent(value)
        } else {
            guard let value = Int(text), value >= 0 else { return nil }
            self = .count(value)
        }
    }

    /// The documented default: a supplier file with a few bad rows loads; a wrong file does not.
    public static let `default` = RejectLimit.percent(5)

    func isExceeded(rejected: Int, read: Int) -> Bool {
        switch self {
        case .count(let limit): return rejected > limit
        case .percent(let limit): return Double(rejected) > Double(read) * limit / 100
        }
    }

    public var description: String {
        switch self {
        case .count(let limit): return "\(limit)"
        case .percent(let limit): return formatPercent(limit)
        }
    }
}

public struct IngestOptions: Sendable {
    public enum SourceKind: String, Sendable { case file, stdin, api }

    public var maxRejects: RejectLimit = .default
    /// Re-merge even when this exact content was loaded before.
    public var force = false
    /// A file of only new and changed orders: no missing count, no shrink guard.
    public var incremental = false
    /// Accept a snapshot that lacks more than `shrinkLimitPercent` of the known orders.
    public var allowShrink = false
    public var shrinkLimitPercent = 5.0
    /// Where a snapshot merge keeps the known orders' fingerprints between loads
    /// (``KnownOrdersCache``); nil reads them from the facts every time.
    public var knownOrdersDirectory: URL?
    /// Validate and compute every count, then roll back (`warehouse check`).
    public var dryRun = false
    /// Overrides the source's kind and label (the API pull lands through the same path).
    public var sourceKind: SourceKind?
    public var sourceLabel: String?
    /// Called once inside the load's transaction just before commit: the API pull moves its
    /// high-water mark here, and tests inject failures here. It gets the load's own connection:
    /// whatever it writes commits or rolls back with the load.
    public var beforeCommit: (@Sendable (PostgresConnection) throws -> Void)?

    public init() {}
}

/// How far a load has got, for a progress bar.
public struct IngestProgress: Sendable {
    public var rows: Int
    public var sourceBytes: Int
    public var sourceSize: Int?
    public var phase: String
}
