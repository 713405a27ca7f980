/// A configuration that `warehouse serve` refuses, with the option to change.
public struct DashboardConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
