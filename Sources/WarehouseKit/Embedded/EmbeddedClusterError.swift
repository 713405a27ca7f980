/// Why the embedded cluster could not be set up, started or stopped.
///
/// The message says what to do next (install a package, read the server log, set
/// `DATABASE_URL`); it never holds a password, since the embedded cluster has none.
public struct EmbeddedClusterError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        /// initdb / pg_ctl are not installed (or not where WAREHOUSE_PG_BINDIR says).
        case binariesNotFound
        /// A helper program could not be run or failed.
        case commandFailed
        /// `initdb` failed.
        case initFailed
        /// `pg_ctl start` failed, or the server never accepted connections.
        case startFailed
        /// `pg_ctl stop` failed.
        case stopFailed
        /// Running as root, but no unprivileged user to run the server as.
        case serverUser
        /// A path the PostgreSQL tools cannot handle (quotes, or not ours in /tmp).
        case unsafePath
    }

    public let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
