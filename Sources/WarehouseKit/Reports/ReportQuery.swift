/// Runs one report: the same query as its `sql/analysis/` file, with every value bound as a
/// parameter instead of pasted (the psql files interpolate psql variables; this may not).
///
/// A test runs both against one database and requires identical rows, so the two cannot drift.
public struct ReportQuery: Sendable {
    public let request: ReportRequest

    public init(_ request: ReportRequest) {
        self.request = request
    }

    /// Reads the report in one read-only transaction, so the window's `current_date` and the rows
    /// come from one snapshot and one clock reading.
    /// - Throws: ``PostgresError`` when the database refuses (e.g. the reporting schema is missing).
    public func run(on connection: PostgresConnection) throws -> ReportResult {
        try connection.transaction {
            try connection.execute("set transaction isolation level repeatable read, read only")
            if request.kind == .totalOrders, request.rowLimit != nil {
                // The first N by order count are a few index entries (migration 0006), ~1 ms; the
                // planner overestimates the work and picks a parallel plan whose start-up alone
                // costs 40-200 ms. Every row, on the other hand, is a sort that parallel speeds up.
                try connection.execute("set local max_parallel_workers_per_gather = 0")
            }
            let window = request.kind.usesWindow ? try resolveWindow(on: connection) : nil
            // One row beyond the limit tells whether anything was left out, and whether it ties.
            let fetch = request.rowLimit.map { $0 + 1 }
            let result = try connection.execute(statement(window: window, fetch: fetch))
            let columns = request.kind.columns
            guard result.columnNames == columns.map(\.name) else {
                throw PostgresError(.protocolViolation,
                                    message: "report \(request.kind.rawValue) returned columns \(result.columnNames), expected \(columns.map(\.name))")
            }
            var rows = (0..<result.rowCount).map { row in (0..<result.columnCount).map { result.string(row, $0) } }
            var truncated = false
            var splitsTie = false
            if let limit = request.rowLimit, rows.count > limit {
                truncated = true
                splitsTie = request.kind == .topCustomers && rows[limit][0] == rows[limit - 1][0]
                rows.removeLast(rows.count - limit)
            }
            return ReportResult(kind: request.kind, columns: columns, rows: rows, window: window,
                                isTruncated: truncated, limitSplitsTie: splitsTie)
        }
    }

    /// The window's first and last day, computed by PostgreSQL exactly as the function does.
    func resolveWindow(on connection: PostgresConnection) throws -> ReportWindow {
        let row = try connection.execute("""
            select
                (coalesce(\(request.asOf)::date, current_date) - (\(request.days)::integer - 1))::text as window_start,
                coalesce(\(request.asOf)::date, current_date)::text as window_end
            """).single()
        return ReportWindow(start: try row.string("window_start"), end: try row.string("window_end"), days: request.days)
    }

    /// The report's statement; mirrors the psql file line for line, values as `$n`.
    /// `fetch` is the row limit (NULL for all rows).
    func statement(window: ReportWindow?, fetch: Int?) -> SQL {
        if let batch = request.atBatch { return statement(atBatch: batch, window: window, fetch: fetch) }
        switch request.kind {
        case .totalOrders:
            return """
                select
                    customer_name,
                    total_orders,
                    total_value,
                    first_order_date,
                    last_order_date
                from reporting.total_orders_per_customer
                order by total_orders desc, customer_name
                limit \(fetch)
                """
        case .mostRecentOrder:
            return """
                select
                    customer_name,
                    order_id,
                    order_date,
                    product_id,
                    price,
                    passenger_count
                from reporting.most_recent_order_per_customer
                order by order_date desc, order_id desc
                limit \(fetch)
                """
        case .topCustomers:
            return """
                select
                    rank,
                    customer_name,
                    total_value,
                    order_count
                from reporting.top_customers(\(window?.end)::date, \(request.days)::integer, \(fetch)::integer)
                order by rank, customer_name
                """
        }
    }

    /// The same report as it stood right after `batch` committed (migration 0008's functions:
    /// the same columns and order, computed from the facts alive at that batch).
    func statement(atBatch batch: Int, window: ReportWindow?, fetch: Int?) -> SQL {
        switch request.kind {
        case .totalOrders:
            return """
                select customer_name, total_orders, total_value, first_order_date, last_order_date
                from reporting.total_orders_per_customer_at_batch(\(batch)::bigint)
                order by total_orders desc, customer_name
                limit \(fetch)
                """
        case .mostRecentOrder:
            return """
                select customer_name, order_id, order_date, product_id, price, passenger_count
                from reporting.most_recent_order_per_customer_at_batch(\(batch)::bigint)
                order by order_date desc, order_id desc
                limit \(fetch)
                """
        case .topCustomers:
            return """
                select rank, customer_name, total_value, order_count
                from reporting.top_customers_at_batch(\(batch)::bigint, \(window?.end)::date, \(request.days)::integer, \(fetch)::integer)
                order by rank, customer_name
                """
        }
    }
}
