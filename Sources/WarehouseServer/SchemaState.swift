public import WarehouseKit

/// What ``DashboardServer/checkSchema()`` found, for the CLI.
public struct SchemaState: Sendable {
    public let readiness: SchemaReadiness
    /// False when the dashboard cannot work until `warehouse migrate` runs (or a newer build).
    public var isUsable: Bool { readiness.isCurrent }
    public var message: String { readiness.message }
    public var isCurrent: Bool { readiness.isCurrent }
}
