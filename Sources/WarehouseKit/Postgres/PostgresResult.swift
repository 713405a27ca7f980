internal import CLibPQ
import Foundation

/// The rows of one statement, read in PostgreSQL's text format. Owns its `PGresult`.
public final class PostgresResult: @unchecked Sendable {
    private let result: OpaquePointer

    init(_ result: OpaquePointer) { self.result = result }
    deinit { PQclear(result) }

    public var rowCount: Int { Int(PQntuples(result)) }
    public var columnCount: Int { Int(PQnfields(result)) }

    /// Rows changed by an INSERT/UPDATE/DELETE/COPY, from the command tag.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }

    public var columnNames: [String] {
        (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
    }

    public func columnIndex(_ name: String) -> Int? {
        let index = Int(PQfnumber(result, name))
        return index < 0 ? nil : index
    }

    /// The value at (`row`, `column`) as text, `nil` for SQL NULL.
    public func string(_ row: Int, _ column: Int) -> String? {
        if PQgetisnull(result, Int32(row), Int32(column)) == 1 { return nil }
        return String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    public var rows: [PostgresRow] { (0..<rowCount).map { PostgresRow(result: self, index: $0) } }

    /// The only row; throws when there is none.
    public func single() throws -> PostgresRow {
        guard rowCount >= 1 else {
            throw PostgresError(.protocolViolation, message: "expected a row, got none")
        }
        return PostgresRow(result: self, index: 0)
    }
}

/// One row of a ``PostgresResult``; typed accessors by column name or position.
public struct PostgresRow: Sendable {
    public let result: PostgresResult
    public let index: Int

    func position(_ name: String) throws -> Int {
        guard let column = result.columnIndex(name) else {
            throw PostgresError(.protocolViolation, message: "result has no column \"\(name)\"")
        }
        return column
    }

    public subscript(_ column: Int) -> String? { result.string(index, column) }
    public subscript(_ name: String) -> String? {
        guard let column = result.columnIndex(name) else { return nil }
        return result.string(index, column)
    }

    public func string(_ name: String) throws -> String {
        guard let value = result.string(index, try position(name)) else {
            throw PostgresError(.protocolViolation, message: "column \"\(name)\" is NULL")
        }
        return value
    }

    public func optionalString(_ name: String) throws -> String? { result.string(index, try position(name)) }

    public func int(_ name: String) throws -> Int {
        let text = try string(name)
        guard let value = Int(text) else {
            throw PostgresError(.protocolViolation, message: "column \"\(name)\" is not an integer: \(text)")
        }
        return value
    }

    public func optionalInt(_ name: String) throws -> Int? {
        guard let text = try optionalString(name) else { return nil }
        return Int(text)
    }

    public func bool(_ name: String) throws -> Bool { try string(name) == "t" }

    public func double(_ name: String) throws -> Double {
        let text = try string(name)
        guard let value = Double(text) else {
            throw PostgresError(.protocolViolation, message: "column \"\(name)\" is not a number: \(text)")
        }
        return value
    }

    /// A dictionary of column name to text value (NULL omitted) — handy for JSON output.
    public var dictionary: [String: String] {
        var values: [String: String] = [:]
        for (column, name) in result.columnNames.enumerated() {
            if let value = result.string(index, column) { values[name] = value }
        }
        return values
    }
}
