import Foundation

/// A statement with its parameters kept apart from its text.
///
/// Interpolating a value adds a `$n` placeholder and binds the value, so input text never
/// becomes SQL: `"select * from t where id = \(id)"` sends `select * from t where id = $1`.
/// Text that really must be pasted (an identifier the code itself chose) goes through
/// `\(unsafeRaw:)` or `\(identifier:)`, whose labels say so.
public struct SQL: ExpressibleByStringInterpolation, Sendable, CustomStringConvertible {
    public private(set) var text: String
    /// Parameters in text format; `nil` is SQL NULL.
    public private(set) var bindings: [String?]

    public init(stringLiteral value: String) {
        text = value
        bindings = []
    }

    public init(unsafeRaw text: String) {
        self.text = text
        bindings = []
    }

    /// Text whose `$n` placeholders the caller numbered, with their values.
    init(text: String, bindings: [String?]) {
        self.text = text
        self.bindings = bindings
    }

    public init(stringInterpolation: StringInterpolation) {
        text = stringInterpolation.text
        bindings = stringInterpolation.bindings
    }

    public var description: String { text }

    public struct StringInterpolation: StringInterpolationProtocol {
        var text = ""
        var bindings: [String?] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount * 3)
        }

        public mutating func appendLiteral(_ literal: String) { text += literal }

        public mutating func appendInterpolation(_ value: (some PostgresBindable)?) {
            bindings.append(value?.postgresText)
            text += "$\(bindings.count)"
        }

        /// Pastes `raw` into the statement. Only for text the program wrote itself.
        public mutating func appendInterpolation(unsafeRaw raw: String) { text += raw }

        /// A quoted identifier (`"name"`, inner quotes doubled).
        public mutating func appendInterpolation(identifier: String) {
            text += "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }

        /// Another statement's text and bindings, its placeholders renumbered.
        public mutating func appendInterpolation(sql other: SQL) {
            let offset = bindings.count
            var chars = Substring(other.text)
            while let dollar = chars.firstIndex(of: "$") {
                text += chars[..<dollar]
                let digits = chars[chars.index(after: dollar)...].prefix(while: \.isASCIIDigit)
                if let number = Int(digits) {
                    text += "$\(number + offset)"
                } else {
                    text += "$"
                }
                chars = chars[chars.index(dollar, offsetBy: 1 + digits.count)...]
            }
            text += chars
            bindings += other.bindings
        }
    }
}

/// A value that can be sent as a query parameter, in PostgreSQL's text format.
public protocol PostgresBindable {
    var postgresText: String? { get }
}

extension String: PostgresBindable { public var postgresText: String? { self } }
extension Substring: PostgresBindable { public var postgresText: String? { String(self) } }
extension Int: PostgresBindable { public var postgresText: String? { String(self) } }
extension Int32: PostgresBindable { public var postgresText: String? { String(self) } }
extension Int64: PostgresBindable { public var postgresText: String? { String(self) } }
extension Double: PostgresBindable { public var postgresText: String? { String(self) } }
extension Bool: PostgresBindable { public var postgresText: String? { self ? "t" : "f" } }
extension Array: PostgresBindable where Element: PostgresBindable {
    /// An array literal (`{"a","b"}`), elements quoted and escaped.
    public var postgresText: String? {
        let items = map { element -> String in
            guard let text = element.postgresText else { return "NULL" }
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\""
        }
        return "{" + items.joined(separator: ",") + "}"
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
