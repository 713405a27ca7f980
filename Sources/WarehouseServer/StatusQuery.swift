import WarehouseKit

/// Reads ``WarehouseStatus`` in one read-only snapshot, through the store.
struct StatusQuery {
    let staleAfterSeconds: Double

    /// - Throws: ``PostgresError`` (a missing schema shows as SQLSTATE 42P01/3F000).
    func run(on connection: PostgresConnection) throws -> WarehouseStatus {
        try connection.readOnlySnapshot {
            let calendar = try DatabaseInspectionStore(connection: connection).calendar()
            guard let today = CivilDate(iso: calendar.today) else {
                throw PostgresError(.protocolViolation, message: "the database's current_date is not a YYYY-MM-DD date")
            }
            let loads = LoadHistoryStore(connection: connection)
            return WarehouseStatus(
                today: today,
                lastSuccess: try loads.lastSuccess().map(LoadRecord.init),
                lastConfirmation: try loads.lastConfirmation().map(LoadRecord.init),
                failureSinceConfirmation: try loads.failureSinceConfirmation().map(LoadRecord.init),
                failingPull: try PullHealthStore(connection: connection).entries().first(where: \.isFailing),
                latestOrderDate: calendar.latestOrderDate,
                staleAfterSeconds: staleAfterSeconds)
        }
    }
}

extension LoadRecord {
    init(_ record: LoadBatchRecord) {
        self.init(
            batchID: record.batchID, status: record.status, source: record.source, sourceKind: record.sourceKind,
            finishedAt: record.finishedAt, ageSeconds: record.ageSeconds, rowsRead: record.rowsRead,
            inserted: record.inserted, updated: record.updated, unchanged: record.unchanged,
            rejected: record.rejected, missing: record.missing, error: record.error)
    }
}
