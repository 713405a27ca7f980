import WarehouseKit

/// What `/metrics` reads from the warehouse at each scrape, through the store.
struct WarehouseMetrics {
    var lastSuccess: LoadBatchRecord?
    var freshness: Freshness
    var counts: (succeeded: Int, failed: Int, skipped: Int, rejectedRows: Int)
    var pulls: [PullHealthStore.Entry]

    static func read(on connection: PostgresConnection, staleAfterSeconds: Double) throws -> WarehouseMetrics {
        let loads = LoadHistoryStore(connection: connection)
        return WarehouseMetrics(
            lastSuccess: try loads.lastSuccess(),
            freshness: Freshness(lastConfirmation: try loads.lastConfirmation(), maxAgeSeconds: staleAfterSeconds),
            counts: try loads.counts(),
            pulls: try PullHealthStore(connection: connection).entries())
    }

    func write(to text: inout MetricsText) {
        text.family("warehouse_loads_total", "counter", "Loads recorded in ops.load_batches, by outcome.")
        text.sample("warehouse_loads_total", [("status", "succeeded")], Double(counts.succeeded))
        text.sample("warehouse_loads_total", [("status", "failed")], Double(counts.failed))
        text.sample("warehouse_loads_total", [("status", "skipped")], Double(counts.skipped))
        text.family("warehouse_rejected_rows_total", "counter", "Rows rejected by the loads that succeeded.")
        text.sample("warehouse_rejected_rows_total", [], Double(counts.rejectedRows))
        if let last = lastSuccess {
            text.gauge("warehouse_last_successful_load_timestamp_seconds", "When the last successful load finished (Unix time).",
                       last.finishedEpochSeconds)
            text.family("warehouse_last_successful_load_rows", "gauge", "Rows of the last successful load, by kind.")
            let kinds: [(String, Int?)] = [("read", last.rowsRead), ("inserted", last.inserted), ("updated", last.updated),
                                           ("unchanged", last.unchanged), ("rejected", last.rejected), ("removed", last.missing)]
            for (kind, value) in kinds { text.sample("warehouse_last_successful_load_rows", [("kind", kind)], Double(value ?? 0)) }
        }
        if let confirmed = freshness.lastConfirmation {
            text.gauge("warehouse_data_age_seconds", "Seconds since the last load that confirmed the data.", confirmed.ageSeconds.rounded())
        }
        text.gauge("warehouse_data_stale", "1 when the data is older than --stale-after, or was never loaded.", freshness.isFresh ? 0 : 1)
        text.family("warehouse_pull_consecutive_failures", "gauge", "Supplier pulls failed in a row, by supplier.")
        for pull in pulls { text.sample("warehouse_pull_consecutive_failures", [("source", pull.source)], Double(pull.consecutiveFailures)) }
        text.family("warehouse_pull_last_success_timestamp_seconds", "gauge", "When the last pull succeeded (Unix time), by supplier.")
        for pull in pulls { if let epoch = pull.lastSuccessEpoch { text.sample("warehouse_pull_last_success_timestamp_seconds", [("source", pull.source)], epoch) } }
        text.family("warehouse_pull_last_failure_timestamp_seconds", "gauge", "When the last pull failed (Unix time), by supplier.")
        for pull in pulls { if let epoch = pull.lastFailureEpoch { text.sample("warehouse_pull_last_failure_timestamp_seconds", [("source", pull.source)], epoch) } }
    }
}
