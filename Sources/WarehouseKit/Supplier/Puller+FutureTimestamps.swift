import Foundation

extension Puller {
    /// Inside the load's transaction: adds the orders dated in the future (``FutureTimestampGuard``)
    /// to batch `batchID`'s rejected rows and counts, as if ingest had refused them, and refuses
    /// the load when, with them, more rows were rejected than `limit` allows.
    static func recordFutureRejects(_ rows: [RejectedRow], batchID: Int, limit: RejectLimit, label: String,
                                    connection: PostgresConnection) throws {
        guard !rows.isEmpty else { return }
        let counts = try connection.execute("""
            update ops.load_batches
            set rows_read = coalesce(rows_read, 0) + \(rows.count), rows_rejected = coalesce(rows_rejected, 0) + \(rows.count)
            where batch_id = \(batchID)
            returning rows_read, rows_rejected
            """).single()
        let read = try counts.int("rows_read"), rejected = try counts.int("rows_rejected")
        if limit.isExceeded(rejected: rejected, read: read) {
            throw IngestError.tooManyRejects(source: label, rejected: rejected, read: read, limit: limit.description,
                                             first: Array(rows.prefix(10)))
        }
        try insert(rows, batchID: batchID, connection: connection)
    }

    /// A pull whose every order was dated in the future: a failed batch, as ingest records a
    /// file with no valid row, with those rows kept in ops.rejected_rows.
    /// - Returns: the error to throw.
    static func recordOnlyFutureRejects(_ rows: [RejectedRow], label: String, mode: String, connection: PostgresConnection) throws -> IngestError {
        let error = IngestError.noValidRows(source: label, rejected: rows.count, first: Array(rows.prefix(10)))
        let ledger = LoadBatchLedger(connection: connection)
        // Start and fail in one transaction: no other session ever sees it "running".
        try connection.transaction {
            let batchID = try ledger.start(source: label, kind: IngestOptions.SourceKind.api.rawValue, mode: mode, sha256: nil, forced: false)
            try ledger.fail(batchID, error: String(describing: error), rowsRead: rows.count, rejected: rows.count)
            try insert(rows, batchID: batchID, connection: connection)
        }
        return error
    }

    private static func insert(_ rows: [RejectedRow], batchID: Int, connection: PostgresConnection) throws {
        for row in rows {
            try connection.execute("""
                insert into ops.rejected_rows (batch_id, line_number, column_name, reason, code, raw_record)
                values (\(batchID), \(row.line), \(row.column), \(row.reason), \(row.code.rawValue), \(row.raw))
                """)
        }
    }
}

extension Puller {
    /// After a load that failed: the failed batch (found by its label, which names this pull's
    /// own landing CSV) keeps the orders dated in the future too, as it keeps those ingest refused.
    static func recordFutureRejectsOfFailedLoad(_ rows: [RejectedRow], label: String, connection: PostgresConnection) throws {
        guard !rows.isEmpty else { return }
        try connection.transaction {
            let found = try connection.execute("""
                select batch_id from ops.load_batches
                where source = \(label) and status = 'failed'
                order by batch_id desc limit 1
                """)
            guard found.rowCount > 0 else { return }
            let batchID = try found.single().int("batch_id")
            try connection.execute("""
                update ops.load_batches
                set rows_read = coalesce(rows_read, 0) + \(rows.count), rows_rejected = coalesce(rows_rejected, 0) + \(rows.count)
                where batch_id = \(batchID)
                """)
            try insert(rows, batchID: batchID, connection: connection)
        }
    }
}
