/// What an export wrote, for the command's summary and for tests.
public struct SQLiteExportSummary: Sendable {
    public struct Table: Sendable {
        public let name: String
        public let rows: Int
        /// Copying the rows and building the table's indexes.
        public let seconds: Double
    }

    /// The file written (the destination, after the rename): PATH, or the regular file that
    /// PATH, a symbolic link, points to.
    public let path: String
    /// PATH when it is a symbolic link: the link was kept and `path`, its target, replaced.
    public let throughLink: String?
    /// The date `top_customers_last_week` was computed at, `YYYY-MM-DD`.
    public let asOf: String
    /// When the PostgreSQL snapshot was taken, ISO 8601 in UTC.
    public let exportedAt: String
    /// The newest succeeded load in the snapshot; `nil` when there is none.
    public let lastBatchID: Int64?
    public let tables: [Table]
    /// The whole export, from connecting to the rename.
    public let seconds: Double
    public let fileBytes: Int64

    public func rows(of table: String) -> Int? { tables.first { $0.name == table }?.rows }
}
