#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure to open, write or close an output, with the path and the system's reason.
public struct OutputError: Error, CustomStringConvertible, Sendable {
    public var path: String
    /// What was being done: "open", "write", "close", "compress".
    public var operation: String
    public var reason: String

    public init(path: String, operation: String, reason: String) {
        self.path = path
        self.operation = operation
        self.reason = reason
    }

    /// An error for the current `errno`.
    static func system(path: String, operation: String, errno code: Int32) -> OutputError {
        OutputError(path: path, operation: operation, reason: String(cString: strerror(code)))
    }

    public var description: String { "cannot \(operation) \(path): \(reason)" }
}
