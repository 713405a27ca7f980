/// Reads `ops.load_batches` for status, freshness and the dashboard: what loaded, when, and
/// what failed since. Only reads: safe on a read-only hot standby.
///
/// The table holds one row per load (a few hundred a year), so the sorts here are cheap.
public struct LoadHistoryStore {
    let connection: PostgresConnection
    /// The time ages are measured to, ISO 8601; nil means the database's `now()`.
    let referenceTime: String?

    public init(connection: PostgresConnection, referenceTime: String? = nil) {
        self.connection = connection
        self.referenceTime = referenceTime
    }

    /// The newest finished load whose status is one of `statuses`.
    public func latest(_ statuses: [String]) throws -> LoadBatchRecord? {
        let result = try connection.execute("""
            select \(unsafeRaw: Self.columns), extract(epoch from coalesce(\(referenceTime)::timestamptz, now()) - finished_at)::float8 as age_seconds
            from ops.load_batches
            where status = any(\(statuses)::text[]) and finished_at is not null
            order by finished_at desc, batch_id desc
            limit 1
            """)
        return result.rowCount == 0 ? nil : try Self.record(result.single())
    }

    /// The newest load that succeeded: it committed together with the data it changed.
    public func lastSuccess() throws -> LoadBatchRecord? { try latest(["succeeded"]) }

    /// The newest load that succeeded or found the supplier's data identical to what was
    /// loaded: either way the warehouse matched the supplier then. What freshness measures.
    public func lastConfirmation() throws -> LoadBatchRecord? { try latest(["succeeded", "skipped"]) }

    /// The newest failed load, only when it is newer than ``lastConfirmation()``.
    public func failureSinceConfirmation() throws -> LoadBatchRecord? {
        let result = try connection.execute("""
            select \(unsafeRaw: Self.columns), extract(epoch from coalesce(\(referenceTime)::timestamptz, now()) - finished_at)::float8 as age_seconds
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

    /// The `limit` newest loads, newest first, running and abandoned ones included.
    public func recent(limit: Int) throws -> [RecentLoadBatch] {
        let result = try connection.execute("""
            select batch_id, \(unsafeRaw: LoadBatchLedger.displayedStatusSQL) as status, source,
                   to_char(started_at, 'YYYY-MM-DD HH24:MI:SS') as started,
                   rows_read, rows_inserted, rows_updated, rows_rejected
            from ops.load_batches
            order by batch_id desc
            limit \(limit)
            """)
        return try result.rows.map {
            RecentLoadBatch(
                batchID: try $0.int("batch_id"), status: try $0.string("status"), startedAt: try $0.string("started"),
                source: try $0.string("source"), rowsRead: try $0.optionalInt("rows_read"),
                inserted: try $0.optionalInt("rows_inserted"), updated: try $0.optionalInt("rows_updated"),
                rejected: try $0.optionalInt("rows_rejected"))
        }
    }

    /// Counts over every load: for `/metrics`.
    public func counts() throws -> (succeeded: Int, failed: Int, skipped: Int, rejectedRows: Int) {
        let row = try connection.execute("""
            select count(*) filter (where status = 'succeeded') as succeeded,
                   count(*) filter (where status = 'failed') as failed,
                   count(*) filter (where status = 'skipped') as skipped,
                   coalesce(sum(rows_rejected) filter (where status = 'succeeded'), 0)::bigint as rejected
            from ops.load_batches
            """).single()
        return (try row.int("succeeded"), try row.int("failed"), try row.int("skipped"), try row.int("rejected"))
    }

    /// The columns the record queries read; fixed text written here, not input.
    static let columns = """
        batch_id, status, source, source_kind,
            to_char(finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as finished_at,
            extract(epoch from finished_at)::float8 as finished_epoch,
            rows_read, rows_inserted, rows_updated, rows_unchanged, rows_rejected, rows_missing, error
        """

    static func record(_ row: PostgresRow) throws -> LoadBatchRecord {
        LoadBatchRecord(
            batchID: try row.int("batch_id"), status: try row.string("status"), source: try row.string("source"),
            sourceKind: try row.string("source_kind"), finishedAt: try row.string("finished_at"),
            finishedEpochSeconds: try row.double("finished_epoch"), ageSeconds: try row.double("age_seconds"), rowsRead: try row.optionalInt("rows_read"),
            inserted: try row.optionalInt("rows_inserted"), updated: try row.optionalInt("rows_updated"),
            unchanged: try row.optionalInt("rows_unchanged"), rejected: try row.optionalInt("rows_rejected"),
            missing: try row.optionalInt("rows_missing"), error: try row.optionalString("error"))
    }
}
