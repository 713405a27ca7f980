import WarehouseKit

/// The page's headline: orders, customers and revenue in the window, each beside the same figure
/// for the window of the same length just before it.
struct HeadlineFigures: Sendable, Equatable {
    /// One figure now and in the previous window, as PostgreSQL's exact text.
    struct Figure: Sendable, Equatable {
        let current: String
        let previous: String
    }

    let window: ReportWindow
    let previousWindow: ReportWindow
    let orders: Figure
    /// Distinct customers with at least one order in the window.
    let customers: Figure
    /// The sum of the window's order prices.
    let revenue: Figure
}
