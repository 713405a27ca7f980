internal import CLibPQ
import Foundation

/// Streams bytes into a running `COPY … FROM STDIN`, buffering so libpq sees large chunks.
public final class CopyWriter {
    private let connection: PostgresConnection
    private let buffer: ByteBuffer
    private let flushThreshold: Int
    public private(set) var bytesSent = 0

    init(connection: PostgresConnection, flushThreshold: Int = 1 << 15) {
        self.connection = connection
        self.flushThreshold = flushThreshold
        buffer = ByteBuffer(capacity: flushThreshold + 65_536)
    }

    /// Appends raw COPY data (already in the COPY format the statement asked for).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(bytes)
        if buffer.count >= flushThreshold { try flush() }
    }

    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }


    /// Direct access for fast encoders: append to the buffer, then call ``flushIfNeeded()``.
    public var pending: ByteBuffer { buffer }

    public func flushIfNeeded() throws {
        if buffer.count >= flushThreshold { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        let status = buffer.bytes.withMemoryRebound(to: CChar.self) {
            PQputCopyData(connection.handle, $0.baseAddress, Int32($0.count))
        }
        guard status == 1 else {
            throw PostgresError(.copy, message: "COPY failed while sending data: \(connection.lastErrorMessage)")
        }
        bytesSent += buffer.count
        buffer.removeAll()
    }
}

extension PostgresConnection {
    /// Runs a `COPY … FROM STDIN` statement and streams data from `body` into it.
    ///
    /// If `body` throws, the COPY is ended with that error (`PQputCopyEnd` with a reason), the
    /// server's result is drained, and the error is rethrown. A server-side failure mid-stream
    /// (a bad value, a constraint) surfaces as a ``PostgresError`` with its SQLSTATE.
    /// See https://www.postgresql.org/docs/15/libpq-copy.html
    /// - Returns: the number of rows the server reports it copied.
    @discardableResult
    public func copyIn(_ sql: SQL, _ body: (CopyWriter) throws -> Void) throws -> Int {
        try startCopy(sql, expecting: PGRES_COPY_IN, direction: "FROM STDIN")

        let writer = CopyWriter(connection: self)
        var bodyError: (any Error)?
        do {
            try body(writer)
            try writer.flush()
        } catch {
            bodyError = error
        }
        let reason = bodyError.map { "aborted by client: \(String(describing: $0).prefix(200))" }
        let ended = PQputCopyEnd(handle, reason)
        let finalError = drainResults(query: sql.text)
        if let bodyError { throw bodyError }
        if ended != 1 {
            throw PostgresError(.copy, message: "COPY could not be ended: \(lastErrorMessage)", query: sql.text)
        }
        switch finalError {
        case .failure(let error): throw error
        case .success(let rows): return rows
        }
    }

    /// Runs a `COPY … TO STDOUT` statement and hands each row's bytes (with its newline) to `body`.
    public func copyOut(_ sql: SQL, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try startCopy(sql, expecting: PGRES_COPY_OUT, direction: "TO STDOUT")
        var bodyError: (any Error)?
        while true {
            var pointer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &pointer, 0)
            if length > 0, let pointer {
                if bodyError == nil {
                    do { try body(UnsafeRawBufferPointer(start: pointer, count: Int(length))) } catch {
                        bodyError = error
                        // Ask the server to stop; the remaining rows are drained below.
                        if let cancel = PQgetCancel(handle) {
                            var errbuf = [CChar](repeating: 0, count: 256)
                            _ = PQcancel(cancel, &errbuf, 256)
                            PQfreeCancel(cancel)
                        }
                    }
                }
                PQfreemem(pointer)
            } else if length == -1 {
                break
            } else {
                throw PostgresError(.copy, message: "COPY TO STDOUT failed: \(lastErrorMessage)", query: sql.text)
            }
        }
        let final = drainResults(query: sql.text)
        if let bodyError { throw bodyError }
        if case .failure(let error) = final { throw error }
    }

    /// Sends the COPY statement; the server must answer by entering the expected COPY state.
    private func startCopy(_ sql: SQL, expecting state: ExecStatusType, direction: String) throws {
        let start = withParameters(sql.bindings) { values, count in
            PQexecParams(handle, sql.text, count, nil, values, nil, nil, 0)
        }
        guard let start else { throw PostgresError(.connection, message: lastErrorMessage, query: sql.text) }
        defer { PQclear(start) }
        guard PQresultStatus(start) == state else {
            throw PQresultStatus(start) == PGRES_FATAL_ERROR
                ? PostgresError.from(result: start, connection: handle, query: sql.text)
                : PostgresError(.protocolViolation, message: "statement did not start COPY \(direction)", query: sql.text)
        }
    }

    /// Reads results until libpq returns nil; the first error wins, else the row count.
    private func drainResults(query: String) -> Result<Int, PostgresError> {
        var outcome: Result<Int, PostgresError> = .success(0)
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            let status = PQresultStatus(result)
            if status == PGRES_COMMAND_OK {
                if case .success = outcome { outcome = .success(Int(String(cString: PQcmdTuples(result))) ?? 0) }
            } else if status == PGRES_COPY_IN {
                // Still in COPY (PQputCopyEnd did not get through): end it so the connection recovers.
                _ = PQputCopyEnd(handle, "client gave up")
            } else if case .success = outcome {
                outcome = .failure(PostgresError.from(result: result, connection: handle, query: query))
            }
        }
        return outcome
    }
}
