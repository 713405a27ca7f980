/// One finished row of `ops.load_batches`, as status displays and freshness checks read it.
public struct LoadBatchRecord: Sendable, Equatable {
    public let batchID: Int
    /// `succeeded`, `skipped` (same content as an earlier load) or `failed`.
    public let status: String
    public let source: String
    /// `file`, `stdin` or `api`.
    public let sourceKind: String
    /// When it finished, ISO 8601 in UTC (`2023-12-10T06:00:00Z`).
    public let finishedAt: String
    /// The same moment as Unix seconds, for `/metrics`.
    public let finishedEpochSeconds: Double
    /// Seconds from the finish to the reference time (the database's `now()` unless one is
    /// given): the database's clock, not this host's, so a skewed host cannot misjudge the age.
    public let ageSeconds: Double
    public let rowsRead: Int?
    public let inserted: Int?
    public let updated: Int?
    public let unchanged: Int?
    public let rejected: Int?
    public let missing: Int?
    public let error: String?
}

/// A recent row of `ops.load_batches` for `warehouse status`, running ones included.
public struct RecentLoadBatch: Sendable, Equatable {
    public let batchID: Int
    /// As ``LoadBatchLedger/displayedStatusSQL`` shows it (`abandoned` for a dead `running`).
    public let status: String
    /// `YYYY-MM-DD HH:MM:SS` in the session's time zone.
    public let startedAt: String
    public let source: String
    public let rowsRead: Int?
    public let inserted: Int?
    public let updated: Int?
    public let rejected: Int?
}
