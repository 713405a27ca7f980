/// What ``DashboardServer/checkSchema()`` found, for the CLI.
public struct SchemaState: Sendable {
    /// False when the dashboard cannot work until `warehouse migrate` runs.
    public let isUsable: Bool
    public let message: String
    public let isCurrent: Bool
}
