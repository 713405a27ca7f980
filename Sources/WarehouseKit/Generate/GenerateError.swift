/// Why order data cannot be generated as asked. (Output failures are ``OutputError``s.)
public struct GenerateError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// An option is out of range or inconsistent with another.
        case invalidOption
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
