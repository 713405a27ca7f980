internal import CSQLite3
import Foundation

/// An error from SQLite: its result code, its message, and the SQL that failed.
///
/// Like GRDB's `DatabaseError`, the description quotes the statement's text (with its `?`
/// placeholders) so the failing SQL is visible, but never the values bound to it: those may be
/// customer data.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The primary result code (`SQLITE_CONSTRAINT` = 19, `SQLITE_CANTOPEN` = 14, …).
    public let resultCode: Int32
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE` = 2067, …); equals `resultCode` when there is none.
    public let extendedResultCode: Int32
    /// SQLite's message, e.g. "UNIQUE constraint failed: t.id".
    public let message: String
    /// The statement's text; `nil` for errors outside a statement (opening, closing).
    public let sql: String?

    public init(resultCode: Int32, extendedResultCode: Int32? = nil, message: String, sql: String? = nil) {
        self.resultCode = resultCode & 0xFF
        self.extendedResultCode = extendedResultCode ?? resultCode
        self.message = message
        self.sql = sql
    }

    /// The error of the last failed call on `connection`, with the SQL being run.
    init(connection: OpaquePointer?, code: Int32, sql: String? = nil) {
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
        self.init(resultCode: code, extendedResultCode: extended, message: message, sql: sql)
    }

    /// `SQLITE_CONSTRAINT`: a NOT NULL, UNIQUE, CHECK, PRIMARY KEY or FOREIGN KEY constraint failed.
    public var isConstraintViolation: Bool { resultCode == SQLITE_CONSTRAINT }

    /// `SQLITE_BUSY`: another connection holds the lock needed, past the busy timeout.
    public var isBusy: Bool { resultCode == SQLITE_BUSY }

    public var description: String {
        var text = "SQLite error \(extendedResultCode): \(message)"
        if let sql {
            let oneLine = sql.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.joined(separator: " ")
            let shown = oneLine.count > 300 ? String(oneLine.prefix(300)) + "…" : oneLine
            text += " - while executing `\(shown)`"
        }
        return text
    }
}
