/// Where the pulls from one supplier left off: its row in `ops.api_sync_state`.
///
/// The high-water mark is the latest `updated_at` of all orders loaded from that supplier; the
/// next pull asks for `updated_since` = mark. The contract makes `updated_since` inclusive, so
/// the orders at the mark itself come again and merge as unchanged: nothing changed in the
/// same microsecond, but committed after the pull read, is ever skipped.
struct PullState {
    let connection: PostgresConnection
    /// The supplier's URL (``SupplierConfiguration/sourceKey``).
    let source: String

    /// The stored mark, or nil before the first successful pull.
    func highWaterMark() throws -> SupplierTimestamp? {
        // to_char in UTC with microseconds: the exact instant, in the format the supplier reads.
        let result = try connection.execute("""
            select to_char(high_water_mark at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as mark
            from ops.api_sync_state
            where source = \(source)
            """)
        guard result.rowCount > 0, let text = try result.single().optionalString("mark") else { return nil }
        guard let mark = SupplierTimestamp(iso8601: text) else {
            throw PostgresError(.protocolViolation, message: "ops.api_sync_state holds an unreadable mark: \(text)")
        }
        return mark
    }

    /// Records a successful pull. An incremental pull only ever moves the mark forward; a full
    /// resynchronisation (`replace`) sets it to what the supplier has now. A nil mark (a pull
    /// that found nothing) keeps the stored one and only notes the time and the batch.
    ///
    /// Called inside the load's transaction (`IngestOptions.beforeCommit`), so the mark moves
    /// if and only if the orders are committed.
    func advance(to mark: SupplierTimestamp?, batchID: Int?, replace: Bool) throws {
        try connection.execute("""
            insert into ops.api_sync_state as s (source, high_water_mark, last_batch_id, updated_at)
            values (\(source), \(mark?.iso8601)::timestamptz, \(batchID), now())
            on conflict (source) do update
            set high_water_mark = case
                    when \(replace) and excluded.high_water_mark is not null then excluded.high_water_mark
                    else greatest(s.high_water_mark, excluded.high_water_mark)
                end,
                last_batch_id = coalesce(excluded.last_batch_id, s.last_batch_id),
                updated_at = now()
            """)
    }

    /// The batch id of the load in progress, which the Ingestor keeps in the transaction-local
    /// setting `warehouse.batch_id` (LoadRun sets it for the transform SQL).
    func currentBatchID() throws -> Int? {
        try connection.execute("select nullif(current_setting('warehouse.batch_id', true), '')::bigint as batch_id")
            .single().optionalInt("batch_id")
    }
}
