/// Runs one report: the statement of its `sql/analysis/` file (``PsqlScript``), the psql
/// variables (`as_of`, `days`, `limit`, `at_batch`) bound as parameters instead of pasted.
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
            let result = try connection.execute(try statement(window: window, fetch: fetch))
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

    /// The report file's statement with this request's variables; `fetch` is the row limit (nil
    /// for all rows).
    func statement(window: ReportWindow?, fetch: Int?) throws -> SQL {
        var variables = ["limit": fetch.map(String.init) ?? ""]
        if let window {
            variables["as_of"] = window.end
            variables["days"] = String(request.days)
        }
        if let batch = request.atBatch { variables["at_batch"] = String(batch) }
        return try PsqlScript(request.kind).statement(variables: variables)
    }
}
