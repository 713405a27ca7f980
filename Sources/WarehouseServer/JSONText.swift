import WarehouseKit

/// A small JSON writer for the API.
///
/// Written by hand, like ``ReportFormatter``'s JSON, rather than through JSONEncoder: money comes
/// from PostgreSQL as exact decimal text and must reach the client as that text, not through a
/// `Double`. Object members keep the order they are given in, so responses read well.
indirect enum JSONValue: Sendable {
    case string(String)
    /// A number written from its text as is; text that is not a JSON number is written as a string.
    case number(String)
    case int(Int)
    case bool(Bool)
    case null
    case object([(String, JSONValue)])
    case array([JSONValue])
    /// Already-serialised JSON (the report rows from ``ReportFormatter``).
    case raw(String)

    static func optionalString(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    static func optionalNumber(_ text: String?) -> JSONValue { text.map(JSONValue.number) ?? .null }

    /// The whole document, with a final newline.
    var document: String { serialised + "\n" }

    var serialised: String {
        switch self {
        case .string(let text): return Self.quote(text)
        case .number(let text): return Self.isNumber(text) ? text : Self.quote(text)
        case .int(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .raw(let text): return text.trimmingTrailingNewlines()
        case .array(let items): return "[" + items.map(\.serialised).joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.map { Self.quote($0.0) + ": " + $0.1.serialised }.joined(separator: ", ") + "}"
        }
    }

    /// Quoted with `<` and `>` escaped too (see ``JSONString/quote(_:escapingMarkup:)``).
    static func quote(_ text: String) -> String { JSONString.quote(text, escapingMarkup: true) }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?`: what PostgreSQL prints for integers and finite numerics.
    static func isNumber(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "-" { rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy({ $0.isASCII && $0.isNumber }),
              whole == "0" || whole.first != "0" else { return false }
        guard parts.count == 2 else { return true }
        return !parts[1].isEmpty && parts[1].allSatisfy { $0.isASCII && $0.isNumber }
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
