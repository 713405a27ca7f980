/// What `warehouse status` and the dashboard's status line read besides the ledgers: the
/// server's version, which warehouse objects exist, row counts, the integrity check, and the
/// database's calendar. Every statement only reads, and tolerates a partly migrated database.
public struct DatabaseInspectionStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    public func serverVersion() throws -> String {
        try connection.execute("select current_setting('server_version') as version").single().string("version")
    }

    /// Whether `ops.load_batches` and `ops.check_integrity()` exist (an unmigrated database lacks them).
    public func objectsPresent() throws -> (loadBatches: Bool, integrityCheck: Bool) {
        let row = try connection.execute("""
            select to_regclass('ops.load_batches') is not null as batches,
                   to_regprocedure('ops.check_integrity()') is not null as integrity
            """).single()
        return (try row.bool("batches"), try row.bool("integrity"))
    }

    /// Rows of the star's tables that exist, as `schema.table`.
    public func rowCounts() throws -> [(table: String, rows: Int)] {
        let tables = [("warehouse", "fact_orders"), ("warehouse", "dim_customers"), ("warehouse", "dim_products"), ("warehouse", "dim_dates")]
        var counts: [(String, Int)] = []
        for (schema, table) in tables {
            let name = "\(schema).\(table)"
            guard try connection.execute("select to_regclass(\(name)) is not null as present").single().bool("present") else { continue }
            let count = try connection.execute("select count(*) as n from \(identifier: schema).\(identifier: table)").single()
            counts.append((name, try count.int("n")))
        }
        return counts
    }

    /// Facts whose keys have no dimension row, by fact column; empty when all is well.
    public func integrityProblems() throws -> [(factColumn: String, orphanFacts: Int)] {
        let result = try connection.execute("select fact_column, orphan_facts from ops.check_integrity()")
        return try result.rows.compactMap { row in
            let orphans = try row.int("orphan_facts")
            return orphans > 0 ? (try row.string("fact_column"), orphans) : nil
        }
    }

    /// The database's `current_date` and the day of the newest order (nil when empty).
    /// max(order_date) is one step down fact_orders_order_date_idx.
    public func calendar() throws -> (today: String, latestOrderDate: String?) {
        let row = try connection.execute("""
            select current_date::text as today, (select max(order_date) from warehouse.fact_orders)::text as latest_order_date
            """).single()
        return (try row.string("today"), try row.optionalString("latest_order_date"))
    }
}
