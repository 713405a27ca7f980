/// Transactions, as GRDB spells them: the body's return commits, its throw rolls back.
extension SQLiteDatabase {
    /// How `BEGIN` takes its locks. https://www.sqlite.org/lang_transaction.html
    public enum TransactionKind: String, Sendable {
        /// Locks on first read/write: the default.
        case deferred = "deferred"
        /// Takes the write lock at once, so a writer never fails half-way on SQLITE_BUSY.
        case immediate = "immediate"
        case exclusive = "exclusive"
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// Not nestable: SQLite has no nested BEGIN (savepoints would be the tool for that).
    /// - Throws: the body's error after the rollback, or ``SQLiteError`` from BEGIN/COMMIT.
    public func transaction<T>(_ kind: TransactionKind = .deferred, _ body: () throws -> T) throws -> T {
        try execute(sql: "begin \(kind.rawValue) transaction")
        let value: T
        do {
            value = try body()
        } catch {
            // SQLite may already have rolled back itself (e.g. on SQLITE_FULL); then ROLLBACK
            // fails with "no transaction is active", which must not hide the real error.
            if isInsideTransaction { try? execute(sql: "rollback transaction") }
            throw error
        }
        do {
            try execute(sql: "commit transaction")
        } catch {
            if isInsideTransaction { try? execute(sql: "rollback transaction") }
            throw error
        }
        return value
    }
}
