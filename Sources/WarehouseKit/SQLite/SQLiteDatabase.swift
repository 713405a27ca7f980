internal import CSQLite3
import Foundation

/// One SQLite connection, shaped like GRDB's `Database` but without its concurrency layer.
///
/// Not thread-safe: use it from one task at a time. Statements keep their database alive, so
/// the handle stays valid for as long as any ``SQLiteStatement`` made from it.
public final class SQLiteDatabase {
    /// Open or create the file (the default), or open an existing one read-only.
    public enum Mode: Sendable {
        case readWrite
        case readOnly
    }

    /// The file's path, or `:memory:`.
    public let path: String
    private(set) var handle: OpaquePointer?

    /// Opens (creating when `mode` is `.readWrite`) the database at `path`; `":memory:"` for a
    /// private in-memory database.
    /// - Throws: ``SQLiteError`` (`SQLITE_CANTOPEN` and its message) when the file cannot be opened.
    public init(path: String, mode: Mode = .readWrite) throws {
        _ = Self.configureOnce
        self.path = path
        var connection: OpaquePointer?
        let flags = mode == .readOnly
            ? SQLITE_OPEN_READONLY
            : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        // NOMUTEX: the connection is confined to one task at a time (see above), so SQLite's
        // own per-call locking is pure cost: a few percent of a bulk insert.
        let code = sqlite3_open_v2(path, &connection, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let connection else {
            let error = SQLiteError(connection: connection, code: code)
            // sqlite3_open_v2 allocates a handle even when it fails; it must still be closed.
            sqlite3_close_v2(connection)
            throw SQLiteError(
                resultCode: error.resultCode, extendedResultCode: error.extendedResultCode,
                message: "\(error.message): \(path)")
        }
        handle = connection
        // Errors then say which constraint kind failed (UNIQUE, FOREIGN KEY, …), as GRDB's do.
        sqlite3_extended_result_codes(connection, 1)
    }

    /// Process-wide settings, applied before the first connection initializes SQLite. Memory
    /// statistics off: nothing reads them, and keeping them costs a global mutex per allocation,
    /// a few percent of a bulk insert (measured with perf on a full export).
    private static let configureOnce: Void = {
        _ = warehouse_sqlite3_disable_memory_statistics()
    }()

    deinit {
        // close_v2 defers the close until statements are finalized; by then none are left,
        // since each statement holds a strong reference to its database.
        if let handle { sqlite3_close_v2(handle) }
    }

    /// Closes the connection now, so the file is complete on disk (before a rename, say).
    /// - Throws: ``SQLiteError`` (`SQLITE_BUSY`) while statements made from it are still alive.
    public func close() throws {
        guard let handle else { return }
        let code = sqlite3_close(handle)
        guard code == SQLITE_OK else { throw SQLiteError(connection: handle, code: code) }
        self.handle = nil
    }

    func openHandle(sql: String? = nil) throws -> OpaquePointer {
        guard let handle else {
            throw SQLiteError(resultCode: SQLITE_MISUSE, message: "the database is closed", sql: sql)
        }
        return handle
    }

    /// Runs a script of zero or more statements separated by semicolons, without parameters.
    ///
    /// Statements are prepared and run one at a time (not through `sqlite3_exec`), so an error
    /// quotes the very statement that failed. Rows a statement returns are ignored.
    /// - Throws: ``SQLiteError`` of the first statement that fails; earlier ones stay applied.
    public func execute(sql script: String) throws {
        let handle = try openHandle(sql: script)
        try script.utf8CString.withUnsafeBufferPointer { buffer in
            guard var cursor = buffer.baseAddress else { return }
            let end = cursor + buffer.count - 1  // the terminating NUL
            while cursor < end {
                var statement: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let code = sqlite3_prepare_v2(handle, cursor, Int32(end - cursor), &statement, &tail)
                let text = String(decoding: UnsafeRawBufferPointer(
                    start: cursor, count: (tail ?? end) - cursor), as: UTF8.self)
                guard code == SQLITE_OK else {
                    throw SQLiteError(connection: handle, code: code, sql: text)
                }
                defer { sqlite3_finalize(statement) }
                cursor = tail ?? end
                // Whitespace or a comment after the last semicolon prepares to nothing.
                guard let statement else { continue }
                var step = sqlite3_step(statement)
                while step == SQLITE_ROW { step = sqlite3_step(statement) }
                guard step == SQLITE_DONE else {
                    throw SQLiteError(connection: handle, code: step, sql: text)
                }
            }
        }
    }

    /// Compiles one statement for repeated use with different bindings.
    /// - Throws: ``SQLiteError`` quoting `sql` when it does not compile, or when it holds more
    ///   than one statement (use ``execute(sql:)`` for scripts).
    public func makeStatement(sql: String) throws -> SQLiteStatement {
        try SQLiteStatement(database: self, sql: sql)
    }

    /// Runs one statement with `arguments` bound to its `?` placeholders, in order.
    public func execute(sql: String, arguments: [SQLiteValue]) throws {
        let statement = try makeStatement(sql: sql)
        try statement.execute(arguments)
    }

    /// The rows of one query, each as values in column order. For small results (checks,
    /// metadata); large ones should step a statement instead of collecting an array.
    public func rows(sql: String, arguments: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        let statement = try makeStatement(sql: sql)
        try statement.bind(arguments)
        var rows: [[SQLiteValue]] = []
        while try statement.step() {
            rows.append((0..<statement.columnCount).map { statement.value(at: $0) })
        }
        return rows
    }

    /// The first column of the first row, or `nil` when the query returns no row.
    public func scalar(sql: String, arguments: [SQLiteValue] = []) throws -> SQLiteValue? {
        let statement = try makeStatement(sql: sql)
        try statement.bind(arguments)
        return try statement.step() ? statement.value(at: 0) : nil
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { handle.map { Int(sqlite3_changes64($0)) } ?? 0 }

    /// The rowid of the last successful INSERT.
    public var lastInsertedRowID: Int64 { handle.map { sqlite3_last_insert_rowid($0) } ?? 0 }

    /// Whether a transaction is open (false in autocommit mode).
    public var isInsideTransaction: Bool { handle.map { sqlite3_get_autocommit($0) == 0 } ?? false }

    /// The SQLite library's version, e.g. "3.40.1".
    public static var libraryVersion: String { String(cString: sqlite3_libversion()) }
}
