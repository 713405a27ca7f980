import FlyingSocks

/// Passes FlyingFox's own log to the dashboard's log, keeping only what an operator must see.
///
/// FlyingFox reports every opened and closed connection and every client that hangs up early;
/// the router writes one line per request already, so only critical messages (the socket could
/// not be bound, the server stopped) are passed on.
struct ServerLogger: Logging {
    let log: @Sendable (String) -> Void

    func logDebug(_ debug: @autoclosure () -> String) {}
    func logInfo(_ info: @autoclosure () -> String) {}
    func logWarning(_ warning: @autoclosure () -> String) {}
    func logError(_ error: @autoclosure () -> String) {}
    func logCritical(_ critical: @autoclosure () -> String) { log("server: \(critical())") }
}
