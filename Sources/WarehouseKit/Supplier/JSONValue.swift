/// A parsed JSON document whose numbers keep their literal text.
///
/// `JSONDecoder` and `JSONSerialization` turn `19.99` into a binary `Double` (19.989999…),
/// and a price must reach the warehouse exactly as the supplier wrote it; so the supplier's
/// responses are read with ``JSONParser`` into this tree instead.
enum JSONValue: Sendable, Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    /// The number's text as it stands in the document, e.g. `19.99` or `1e2`.
    case number(String)
    case bool(Bool)
    case null

    /// The kind of value, for error messages ("expected a string, got an object").
    var kindName: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
}
