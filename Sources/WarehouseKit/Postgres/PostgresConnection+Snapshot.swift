extension PostgresConnection {
    /// Runs `body` in a `REPEATABLE READ READ ONLY` transaction, so that every statement in it,
    /// COPYs included, reads the same snapshot: a load committing meanwhile is either wholly
    /// visible or not at all. Rolled back at the end either way (there is nothing to commit).
    /// See https://www.postgresql.org/docs/15/transaction-iso.html#XACT-REPEATABLE-READ
    /// - Throws: the body's error, or ``PostgresError`` from BEGIN.
    public func readOnlySnapshot<T>(_ body: () throws -> T) throws -> T {
        try execute("begin transaction isolation level repeatable read, read only")
        defer { _ = try? execute("rollback") }
        return try body()
    }
}
