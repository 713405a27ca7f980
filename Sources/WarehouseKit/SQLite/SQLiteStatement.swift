internal import CSQLite3

/// Tells `sqlite3_bind_text` to copy the bytes at once: the Swift buffer they come from does not
/// outlive the call. The C macro is a cast of -1 that Swift cannot import, so it is rebuilt here.
let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A compiled statement: bind, step, read columns, reset, and again. Finalized on deinit.
///
/// Indices follow the C API: parameters are numbered from 1 (`?1` is the first `?`), result
/// columns from 0.
public final class SQLiteStatement {
    /// The statement's text as written; what errors quote (never the bound values).
    public let sql: String
    // Strong: the connection must outlive its statements (sqlite3_finalize needs it open).
    private let database: SQLiteDatabase
    let handle: OpaquePointer

    init(database: SQLiteDatabase, sql: String) throws {
        let connection = try database.openHandle(sql: sql)
        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        var hasSecondStatement = false
        let code = sql.withCString { text in
            let code = sqlite3_prepare_v2(connection, text, -1, &statement, &tail)
            // SQLite compiles only the first statement and would silently ignore the rest:
            // refuse a second one (a trailing comment or semicolon compiles to nothing).
            if code == SQLITE_OK, let tail, tail.pointee != 0 {
                var next: OpaquePointer?
                if sqlite3_prepare_v2(connection, tail, -1, &next, nil) != SQLITE_OK || next != nil {
                    hasSecondStatement = true
                }
                sqlite3_finalize(next)
            }
            return code
        }
        if hasSecondStatement {
            sqlite3_finalize(statement)
            throw SQLiteError(
                resultCode: SQLITE_MISUSE, message: "more than one statement: use execute(sql:) for scripts", sql: sql)
        }
        guard code == SQLITE_OK, let statement else {
            // A blank statement compiles to no statement at all, with SQLITE_OK.
            throw code == SQLITE_OK
                ? SQLiteError(resultCode: SQLITE_MISUSE, message: "no statement to compile", sql: sql)
                : SQLiteError(connection: connection, code: code, sql: sql)
        }
        self.sql = sql
        self.database = database
        self.handle = statement
    }

    deinit { sqlite3_finalize(handle) }

    // MARK: Binding

    /// The number of `?` placeholders.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    public func bind(_ value: Int64, at index: Int) throws {
        try check(sqlite3_bind_int64(handle, Int32(index), value))
    }

    public func bind(_ value: Double, at index: Int) throws {
        try check(sqlite3_bind_double(handle, Int32(index), value))
    }

    public func bind(_ value: String, at index: Int) throws {
        // Explicit length: an embedded NUL must not cut the text short.
        var value = value
        try value.withUTF8 { try bindText(UnsafeRawBufferPointer($0), at: index) }
    }

    /// Binds UTF-8 bytes as TEXT, copying them; the fast path for values parsed from a buffer.
    public func bindText(_ utf8: UnsafeRawBufferPointer, at index: Int) throws {
        try bindText(utf8, at: index, copying: true)
    }

    /// Binds UTF-8 bytes as TEXT. With `copying: false` SQLite keeps the pointer
    /// (`SQLITE_STATIC`): the bytes must stay valid and unchanged until the statement has been
    /// stepped and this parameter bound again, or the statement finalized.
    func bindText(_ utf8: UnsafeRawBufferPointer, at index: Int, copying: Bool) throws {
        // A zero-length buffer may have a nil base address, which SQLite would read as NULL.
        let pointer = utf8.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)
        try check(sqlite3_bind_text(
            handle, Int32(index), pointer.assumingMemoryBound(to: CChar.self), Int32(utf8.count),
            copying ? SQLITE_TRANSIENT : nil))
    }

    public func bindNull(at index: Int) throws {
        try check(sqlite3_bind_null(handle, Int32(index)))
    }

    public func bind(_ value: SQLiteValue, at index: Int) throws {
        switch value {
        case .null: try bindNull(at: index)
        case .integer(let value): try bind(value, at: index)
        case .real(let value): try bind(value, at: index)
        case .text(let value): try bind(value, at: index)
        }
    }

    /// Binds `values` to parameters 1, 2, … in order.
    /// - Throws: ``SQLiteError`` (`SQLITE_RANGE`) when the count differs from the placeholders'.
    public func bind(_ values: [SQLiteValue]) throws {
        guard values.count == parameterCount else {
            throw SQLiteError(
                resultCode: SQLITE_RANGE,
                message: "\(values.count) arguments for \(parameterCount) parameters", sql: sql)
        }
        for (offset, value) in values.enumerated() { try bind(value, at: offset + 1) }
    }

    /// Sets every parameter back to NULL.
    public func clearBindings() { sqlite3_clear_bindings(handle) }

    // MARK: Running

    /// Runs the statement to its next row.
    /// - Returns: `true` when a row is ready to read, `false` when the statement is done.
    /// - Throws: ``SQLiteError`` quoting ``sql`` (a constraint, a full disk, …).
    @discardableResult
    public func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            // The step's error code is on the connection; reset clears it, so read it first.
            let error = SQLiteError(connection: sqlite3_db_handle(handle), code: code, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Rewinds the statement so it can run again; bindings are kept.
    public func reset() throws {
        try check(sqlite3_reset(handle))
    }

    /// Resets, binds `values`, and steps until done: one INSERT/UPDATE/DDL with arguments.
    public func execute(_ values: [SQLiteValue] = []) throws {
        try reset()
        try bind(values)
        while try step() {}
    }

    // MARK: Reading the current row

    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    public func columnName(at index: Int) -> String { String(cString: sqlite3_column_name(handle, Int32(index))) }

    public func isNull(at index: Int) -> Bool { sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL }

    public func int64(at index: Int) -> Int64 { sqlite3_column_int64(handle, Int32(index)) }

    public func double(at index: Int) -> Double { sqlite3_column_double(handle, Int32(index)) }

    /// The column as text (numbers converted by SQLite), `nil` for NULL.
    public func string(at index: Int) -> String? {
        guard let text = sqlite3_column_text(handle, Int32(index)) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, Int32(index)))
        return String(decoding: UnsafeRawBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// The column with its storage class as SQLite holds it.
    public func value(at index: Int) -> SQLiteValue {
        switch sqlite3_column_type(handle, Int32(index)) {
        case SQLITE_INTEGER: return .integer(int64(at: index))
        case SQLITE_FLOAT: return .real(double(at: index))
        case SQLITE_NULL: return .null
        default: return string(at: index).map(SQLiteValue.text) ?? .null
        }
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else {
            throw SQLiteError(connection: sqlite3_db_handle(handle), code: code, sql: sql)
        }
    }
}
