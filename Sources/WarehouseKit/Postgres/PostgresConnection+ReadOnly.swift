extension PostgresConnection {
    /// A session for a server that only reads: every transaction read-only by default (each
    /// request also begins its own `read only` transaction), a name in `pg_stat_activity`, and a
    /// statement timeout so a pathological query cannot hold a pooled connection forever.
    /// See https://www.postgresql.org/docs/current/runtime-config-client.html
    /// - Throws: ``PostgresError`` when the connection or a setting fails.
    public static func readOnlySession(conninfo: String, applicationName: String, statementTimeoutSeconds: Int = 60) throws -> PostgresConnection {
        let connection = try PostgresConnection(conninfo: conninfo)
        try connection.execute("set default_transaction_read_only = on")
        try connection.execute("select set_config('application_name', \(applicationName), false)")
        try connection.execute("select set_config('statement_timeout', \(String(statementTimeoutSeconds * 1000)), false)")
        return connection
    }
}
