/// Why an export failed before writing the file. The previous file, if any, is untouched.
///
/// PostgreSQL and SQLite failures arrive as ``PostgresError`` and ``SQLiteError``; this type covers
/// what the exporter itself checks.
public struct ExportError: Error, CustomStringConvertible, Sendable {
    private enum Code: Sendable {
        case destination
        case malformedCopyRow
        case badValue
        case foreignKeyViolation
    }

    private let code: Code
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The target path cannot be written (no such directory, a directory in the way, …).
    static func destination(_ message: String) -> ExportError { ExportError(.destination, message) }

    /// PostgreSQL sent a line that is not COPY text format.
    static func malformedCopyRow(_ message: String) -> ExportError { ExportError(.malformedCopyRow, message) }

    /// A value did not fit its SQLite column (not an integer, a price with more than 2 decimals, …).
    static func badValue(table: String, row: Int, column: String, _ problem: String) -> ExportError {
        ExportError(.badValue, "\(table) row \(row), column \(column): \(problem)")
    }

    /// The copied tables do not hold together: a fact refers to a dimension row that is not there.
    static func foreignKeyViolation(_ message: String) -> ExportError { ExportError(.foreignKeyViolation, message) }

    public var isForeignKeyViolation: Bool { code == .foreignKeyViolation }
    public var isDestinationProblem: Bool { code == .destination }

    public var description: String { "export failed: \(message)" }
}
