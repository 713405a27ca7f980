import Foundation

/// What an export wrote, for the command's summary (text or `--json`) and for tests.
public struct SQLiteExportSummary: Sendable, Encodable {
    /// A new file renamed into place, or an existing one brought up to date in one transaction.
    public enum Kind: String, Sendable, Encodable {
        case full
        case incremental
    }

    public struct Table: Sendable, Encodable {
        public let name: String
        /// The table's rows after the export.
        public let rows: Int
        /// Rows added (a full export adds every row).
        public let inserted: Int
        /// Rows that existed and now hold other values (incremental only).
        public let updated: Int
        /// Rows removed (incremental only; a rewritten report table counts its old rows here).
        public let deleted: Int
        /// Copying the rows and building or updating the table's indexes.
        public let seconds: Double
    }

    public let kind: Kind
    /// Why the export was full (`"requested"`, `"no file yet"`, …); `nil` for an incremental one.
    public let fullReason: String?
    /// The batch the file reflected before an incremental export.
    public let sinceBatchID: Int64?
    /// The file written (after the rename, for a full export): PATH, or the regular file that
    /// PATH, a symbolic link, points to.
    public let path: String
    /// PATH when it is a symbolic link: the link was kept and `path`, its target, written.
    public let throughLink: String?
    /// The date `top_customers_last_week` was computed at, `YYYY-MM-DD`.
    public let asOf: String
    /// When the PostgreSQL snapshot was taken, ISO 8601 in UTC.
    public let exportedAt: String
    /// The newest succeeded load in the snapshot; `nil` when there is none.
    public let lastBatchID: Int64?
    public let tables: [Table]
    /// The whole export, from connecting to the rename or the commit.
    public let seconds: Double
    public let fileBytes: Int64

    public func rows(of table: String) -> Int? { tables.first { $0.name == table }?.rows }
    public func table(_ name: String) -> Table? { tables.first { $0.name == name } }

    enum CodingKeys: String, CodingKey {
        case kind, path, seconds, tables
        case fullReason = "full_reason", sinceBatchID = "since_batch_id", throughLink = "through_link"
        case asOf = "as_of", exportedAt = "exported_at", lastBatchID = "last_batch_id", fileBytes = "file_bytes"
    }

    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
