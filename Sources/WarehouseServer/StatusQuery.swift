import WarehouseKit

/// Reads ``WarehouseStatus`` in one read-only snapshot.
struct StatusQuery {
    let staleAfterSeconds: Double

    /// - Throws: ``PostgresError`` (a missing schema shows as SQLSTATE 42P01/3F000).
    func run(on connection: PostgresConnection) throws -> WarehouseStatus {
        try connection.readOnlySnapshot {
            // max(order_date) is one step down fact_orders_order_date_idx.
            let day = try connection.execute("""
                select current_date::text as today, (select max(order_date) from warehouse.fact_orders)::text as latest_order_date
                """).single()
            guard let today = ReportDate(try day.string("today")) else {
                throw PostgresError(.protocolViolation, message: "the database's current_date is not a YYYY-MM-DD date")
            }
            return WarehouseStatus(
                today: today,
                lastSuccess: try latestLoad(["succeeded"], on: connection),
                lastConfirmation: try latestLoad(["succeeded", "skipped"], on: connection),
                failureSinceConfirmation: try latestFailure(on: connection),
                latestOrderDate: try day.optionalString("latest_order_date"),
                staleAfterSeconds: staleAfterSeconds)
        }
    }

    /// ops.load_batches holds one row per load (a few hundred a year): a sort is cheap.
    private func latestLoad(_ statuses: [String], on connection: PostgresConnection) throws -> LoadRecord? {
        let result = try connection.execute("""
            select \(unsafeRaw: Self.columns)
            from ops.load_batches
            where status = any(\(statuses)::text[]) and finished_at is not null
            order by finished_at desc, batch_id desc
            limit 1
            """)
        return result.rowCount == 0 ? nil : try Self.record(result.single())
    }

    private func latestFailure(on connection: PostgresConnection) throws -> LoadRecord? {
        let result = try connection.execute("""
            select \(unsafeRaw: Self.columns)
            from ops.load_batches
            where status = 'failed'
                and finished_at > coalesce(
                    (select max(finished_at) from ops.load_batches where status in ('succeeded', 'skipped')),
                    '-infinity')
            order by finished_at desc, batch_id desc
            limit 1
            """)
        return result.rowCount == 0 ? nil : try Self.record(result.single())
    }

    /// The columns both queries read; fixed text written here, not input.
    static let columns = """
        batch_id, status, source, source_kind,
            to_char(finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as finished_at,
            extract(epoch from now() - finished_at)::float8 as age_seconds,
            rows_read, rows_inserted, rows_updated, rows_unchanged, rows_rejected, rows_missing, error
        """

    static func record(_ row: PostgresRow) throws -> LoadRecord {
        LoadRecord(
            batchID: try row.int("batch_id"), status: try row.string("status"), source: try row.string("source"),
            sourceKind: try row.string("source_kind"), finishedAt: try row.string("finished_at"),
            ageSeconds: try row.double("age_seconds"), rowsRead: try row.optionalInt("rows_read"),
            inserted: try row.optionalInt("rows_inserted"), updated: try row.optionalInt("rows_updated"),
            unchanged: try row.optionalInt("rows_unchanged"), rejected: try row.optionalInt("rows_rejected"),
            missing: try row.optionalInt("rows_missing"), error: try row.optionalString("error"))
    }
}
