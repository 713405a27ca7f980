/// `ops.load_batches`: every load leaves a row, written outside the load's transaction when it
/// must survive a rollback (started, failed) and inside it when it must commit with the data.
public struct LoadBatchLedger {
    let connection: PostgresConnection
    static let toolVersion = "warehouse 0.1.0"

    /// A batch's status as people should read it: one still `running` while nobody holds the
    /// load lock belongs to a process that died, and is shown as `abandoned` (the next load
    /// records it as failed). A SQL expression over `ops.load_batches`' `status` column.
    public static let displayedStatusSQL = """
        case when status = 'running' and not exists (
            select 1 from pg_catalog.pg_locks
            where locktype = 'advisory' and granted and objsubid = 1
              and database = (select oid from pg_catalog.pg_database where datname = current_database())
              and classid = \((Ingestor.lockKey >> 32) & 0xFFFF_FFFF) and objid = \(Ingestor.lockKey & 0xFFFF_FFFF))
        then 'abandoned' else status end
        """

    /// Only the holder of the load lock calls this: a batch still "running" then belongs to a
    /// process that died (SIGKILL, lost connection) and whose transaction PostgreSQL rolled back.
    func closeAbandoned() throws {
        try connection.execute("""
            update ops.load_batches
            set status = 'failed', finished_at = now(),
                error = 'abandoned: the loading process ended before it finished; nothing of it was kept'
            where status = 'running'
            """)
    }

    /// The batch whose content the warehouse reflects right now, when that content is `sha256`:
    /// the latest succeeded load, with the same content and mode. Once anything else has been
    /// loaded, the same file again is a normal load (an earlier snapshot sent again reverts).
    func currentlyReflected(content sha256: String, mode: String) throws -> Int? {
        let result = try connection.execute("""
            select batch_id, coalesce(content_sha256 = \(sha256) and mode = \(mode), false) as same
            from ops.load_batches
            where status = 'succeeded'
            order by batch_id desc limit 1
            """)
        guard result.rowCount == 1, try result.single().bool("same") else { return nil }
        return try result.single().int("batch_id")
    }

    /// Whether content of `bytes` bytes (nil: not known before reading it) may be what
    /// ``currentlyReflected(content:mode:)`` finds: only then is a file worth fingerprinting before
    /// it is loaded. Not when no load has succeeded, the latest is of another mode, or its content
    /// had another size (recorded since migration 0016).
    func mayReflect(contentBytes bytes: Int?, mode: String) throws -> Bool {
        let result = try connection.execute("""
            select content_sha256 is not null and mode = \(mode)
                   and (content_bytes is null or \(bytes)::bigint is null or content_bytes = \(bytes)::bigint) as may
            from ops.load_batches
            where status = 'succeeded'
            order by batch_id desc limit 1
            """)
        guard result.rowCount == 1 else { return false }
        return try result.single().bool("may")
    }

    func start(source: String, kind: String, mode: String, sha256: String?, forced: Bool) throws -> Int {
        try connection.execute("""
            insert into ops.load_batches (source, source_kind, content_sha256, mode, status, is_forced, tool_version)
            values (\(source), \(kind), \(sha256), \(mode), 'running', \(forced), \(Self.toolVersion))
            returning batch_id
            """).single().int("batch_id")
    }

    func recordSkipped(source: String, kind: String, mode: String, sha256: String, duplicateOf: Int) throws -> Int {
        try connection.execute("""
            insert into ops.load_batches (source, source_kind, content_sha256, mode, status, finished_at,
                rows_inserted, rows_updated, duplicate_of_batch_id, tool_version)
            values (\(source), \(kind), \(sha256), \(mode), 'skipped', now(), 0, 0, \(duplicateOf), \(Self.toolVersion))
            returning batch_id
            """).single().int("batch_id")
    }

    func succeed(_ batchID: Int, summary: IngestSummary) throws {
        try connection.execute("""
            update ops.load_batches
            set status = 'succeeded', finished_at = clock_timestamp(), content_sha256 = \(summary.contentSHA256),
                content_bytes = \(summary.contentBytes),
                rows_read = \(summary.rowsRead), rows_inserted = \(summary.inserted), rows_updated = \(summary.updated),
                rows_unchanged = \(summary.unchanged), rows_rejected = \(summary.rejected),
                rows_duplicate = \(summary.duplicates), rows_missing = \(summary.removed),
                rows_removed = \(summary.removed), rows_restored = \(summary.restored)
            where batch_id = \(batchID)
            """)
    }

    func fail(_ batchID: Int, error: String, rowsRead: Int?, rejected: Int?) throws {
        try connection.execute("""
            update ops.load_batches
            set status = 'failed', finished_at = clock_timestamp(), error = \(error),
                rows_read = \(rowsRead), rows_rejected = \(rejected)
            where batch_id = \(batchID)
            """)
    }

    func markSkipped(_ batchID: Int, sha256: String?, duplicateOf: Int?) throws {
        try connection.execute("""
            update ops.load_batches
            set status = 'skipped', finished_at = clock_timestamp(), content_sha256 = \(sha256),
                rows_inserted = 0, rows_updated = 0, duplicate_of_batch_id = \(duplicateOf)
            where batch_id = \(batchID)
            """)
    }
}
