/// Why generating order data failed: a bad option, or the output could not be written.
public struct GenerateError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// An option is out of range or inconsistent with another.
        case invalidOption
        /// Writing the CSV, the manifest or a snapshot directory failed.
        case output
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
