internal import CLibPQ
import Foundation

/// One libpq connection. Not thread-safe, so not `Sendable`: synchronous code uses it directly,
/// async code through a ``DatabaseSession`` or ``ConnectionPool``, which confine it to a thread.
///
/// Every query is sent with `PQexecParams` (parameters bound, never pasted) and asks for
/// text-format results. Scripts of several statements (migrations, transform steps) go
/// through ``executeScript(_:)``.
public final class PostgresConnection {
    let handle: OpaquePointer

    /// Opens a connection from a URL (`postgresql://…`) or a `key=value` conninfo string.
    /// - Throws: ``PostgresError`` of kind `.connection`, whose message never holds the password.
    public init(conninfo: String) throws {
        guard let connection = PQconnectdb(conninfo) else {
            throw PostgresError(.connection, message: "could not allocate a libpq connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(connection)
            throw PostgresError(.connection, message: "could not connect to PostgreSQL: \(ConnectionString.redact(message))")
        }
        handle = connection
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        try execute("set client_encoding = 'UTF8'")
    }

    deinit { PQfinish(handle) }

    /// The server's version number, e.g. 150018.
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// Runs one statement with bound parameters and returns its rows.
    @discardableResult
    public func execute(_ sql: SQL) throws -> PostgresResult {
        let result = withParameters(sql.bindings) { values, count in
            PQexecParams(handle, sql.text, count, nil, values, nil, nil, 0)
        }
        return try check(result, query: sql.text)
    }

    /// Runs a script of one or more statements with no parameters (simple query protocol).
    public func executeScript(_ script: String) throws {
        // PQexec returns only the last result; an error stops the script and is that result.
        let result = PQexec(handle, script)
        _ = try check(result, query: script)
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("begin")
        do {
            let value = try body()
            try execute("commit")
            return value
        } catch {
            _ = try? execute("rollback")
            throw error
        }
    }

    /// Whether the connection is still usable (false after the server went away).
    public var isHealthy: Bool { PQstatus(handle) == CONNECTION_OK }

    func check(_ result: OpaquePointer?, query: String?) throws -> PostgresResult {
        guard let result else {
            throw PostgresError(.connection, message: lastErrorMessage, query: query)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            return PostgresResult(result)
        default:
            let error = PostgresError.from(result: result, connection: handle, query: query)
            PQclear(result)
            throw error
        }
    }

    var lastErrorMessage: String {
        String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Hands libpq a C array of C strings for the duration of `body`.
func withParameters<R>(_ values: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?, Int32) -> R) -> R {
    if values.isEmpty { return body(nil, 0) }
    let pointers: [UnsafeMutablePointer<CChar>?] = values.map { $0.flatMap { strdup($0) } }
    defer { pointers.forEach { free($0) } }
    let constPointers = pointers.map { UnsafePointer($0) }
    return constPointers.withUnsafeBufferPointer { body($0.baseAddress, Int32(values.count)) }
}

extension PostgresError {
    static func from(result: OpaquePointer, connection: OpaquePointer?, query: String?) -> PostgresError {
        func field(_ code: Int32) -> String? {
            guard let value = PQresultErrorField(result, code) else { return nil }
            return String(cString: value)
        }
        let primary = field(wh_pg_diag_message_primary())
            ?? String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
        let severity = field(wh_pg_diag_severity()) ?? "ERROR"
        return PostgresError(
            .server,
            message: "\(severity): \(primary)",
            sqlState: field(wh_pg_diag_sqlstate()),
            detail: field(wh_pg_diag_message_detail()),
            hint: field(wh_pg_diag_message_hint()),
            constraint: field(wh_pg_diag_constraint_name()),
            query: query
        )
    }
}

extension PostgresConnection {
    /// Runs a script and returns the result of its last statement (e.g. a closing `select` of counts).
    public func executeScriptReturningLast(_ script: String) throws -> PostgresResult {
        try check(PQexec(handle, script), query: script)
    }
}
