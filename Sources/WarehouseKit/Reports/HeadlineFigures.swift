/// The page's headline: orders, customers and revenue in the window, each beside the same figure
/// for the window of the same length just before it.
public struct HeadlineFigures: Sendable, Equatable {
    /// One figure now and in the previous window, as PostgreSQL's exact text.
    public struct Figure: Sendable, Equatable {
        public let current: String
        public let previous: String

        public init(current: String, previous: String) {
            self.current = current
            self.previous = previous
        }
    }

    public let window: ReportWindow
    public let previousWindow: ReportWindow
    public let orders: Figure
    /// Distinct customers with at least one order in the window.
    public let customers: Figure
    /// The sum of the window's order prices.
    public let revenue: Figure

    public init(window: ReportWindow, previousWindow: ReportWindow, orders: Figure, customers: Figure, revenue: Figure) {
        self.window = window
        self.previousWindow = previousWindow
        self.orders = orders
        self.customers = customers
        self.revenue = revenue
    }
}
