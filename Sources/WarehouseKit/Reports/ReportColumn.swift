/// One column of a report: its name (as the psql file and the views spell it) and what kind of
/// value it holds, which decides alignment in a table and typing in JSON.
public struct ReportColumn: Sendable, Hashable {
    public enum ValueType: Sendable, Hashable {
        case text
        case integer
        /// `numeric` text such as `1234.50`: written to JSON as a number from this text, exactly.
        case decimal
        /// `YYYY-MM-DD`.
        case date

        /// Numbers are right-aligned in a table, like psql does.
        var isNumeric: Bool { self == .integer || self == .decimal }
    }

    public let name: String
    public let type: ValueType

    public init(_ name: String, _ type: ValueType) {
        self.name = name
        self.type = type
    }
}
