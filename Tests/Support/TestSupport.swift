import WarehouseKit
/// Test fixtures and the suite-owned PostgreSQL server (built with the embedded cluster).
public enum TestSupport {}
