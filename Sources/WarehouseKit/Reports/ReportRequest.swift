/// What to report: which report, as of which day, over how many days, how many rows.
///
/// Built and checked before anything touches the database, so the command line can refuse a
/// bad option with a usage error.
public struct ReportRequest: Sendable, Equatable {
    /// How many rows to show.
    public enum Limit: Sendable, Equatable {
        /// The report's own default (``ReportKind/defaultLimit``).
        case `default`
        case all
        case rows(Int)
    }

    /// `--days` accepts up to a century: enough for "all time", and far from date overflow.
    public static let dayRange = 1...36_525

    public let kind: ReportKind
    /// The last day of the window; `nil` is the server's `current_date`, as the view and psql file use.
    public let asOf: CivilDate?
    public let days: Int
    /// The number of rows to return, `nil` for all.
    public let rowLimit: Int?
    /// Report the warehouse as it stood right after this batch committed; `nil` for now.
    public let atBatch: Int?

    /// - Throws: ``ReportError`` when `days` or `limit` is out of range, or when `asOf`/`days` are
    ///   given for a report that has no window (rather than being silently ignored).
    public init(kind: ReportKind, asOf: CivilDate? = nil, days: Int? = nil, limit: Limit = .default, atBatch: Int? = nil) throws {
        if let atBatch, atBatch < 1 { throw ReportError.batchOutOfRange(atBatch) }
        self.atBatch = atBatch
        if !kind.usesWindow, asOf != nil || days != nil {
            throw ReportError.windowNotApplicable(kind)
        }
        let days = days ?? 7
        guard Self.dayRange.contains(days) else { throw ReportError.daysOutOfRange(days) }
        switch limit {
        case .default: rowLimit = kind.defaultLimit
        case .all: rowLimit = nil
        case .rows(let count):
            guard count >= 1 else { throw ReportError.limitOutOfRange(count) }
            rowLimit = count
        }
        self.kind = kind
        self.asOf = asOf
        self.days = days
    }
}

/// A report request that cannot be run as asked.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    case daysOutOfRange(Int)
    case limitOutOfRange(Int)
    case windowNotApplicable(ReportKind)
    case badDate(String)
    case batchOutOfRange(Int)

    public var description: String {
        switch self {
        case .daysOutOfRange(let days):
            return "--days must be between \(ReportRequest.dayRange.lowerBound) and \(ReportRequest.dayRange.upperBound), got \(days)"
        case .limitOutOfRange(let limit):
            return "--limit must be a positive number of rows or 'all', got \(limit)"
        case .windowNotApplicable(let kind):
            return "--as-of and --days apply to top-customers only; \(kind.rawValue) covers every loaded order"
        case .batchOutOfRange(let batch):
            return "--at-batch takes a batch id (1 or more), got \(batch)"
        case .badDate(let text):
            return "--as-of takes a calendar date as YYYY-MM-DD, got '\(text)'"
        }
    }
}
