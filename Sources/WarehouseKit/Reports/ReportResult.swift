/// The days a weekly report covers: `days` days ending on `end`, both ends included.
public struct ReportWindow: Sendable, Equatable {
    /// `YYYY-MM-DD`, as PostgreSQL computed it (`as_of - (days - 1)`).
    public let start: String
    public let end: String
    public let days: Int

    public init(start: String, end: String, days: Int) {
        self.start = start
        self.end = end
        self.days = days
    }
}

/// A report's rows, as PostgreSQL's text format gives them (`nil` is NULL), with what is needed
/// to present them: the columns, the window and whether the limit cut anything off.
public struct ReportResult: Sendable, Equatable {
    public let kind: ReportKind
    public let columns: [ReportColumn]
    public let rows: [[String?]]
    /// Set for the weekly report.
    public let window: ReportWindow?
    /// More rows exist beyond the limit.
    public let isTruncated: Bool
    /// The first row left out shares its rank with the last row shown: the limit split a tie.
    public let limitSplitsTie: Bool

    public init(kind: ReportKind, columns: [ReportColumn], rows: [[String?]], window: ReportWindow?,
                isTruncated: Bool = false, limitSplitsTie: Bool = false) {
        self.kind = kind
        self.columns = columns
        self.rows = rows
        self.window = window
        self.isTruncated = isTruncated
        self.limitSplitsTie = limitSplitsTie
    }

    public var title: String { kind.title(window: window) }
    public var emptyMessage: String { kind.emptyMessage(window: window) }
}
