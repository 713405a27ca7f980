import WarehouseKit

/// The dashboard's HTTP layer (built in its own issue).
public enum DashboardServer {}
