import FlyingFox
import WarehouseKit

/// Every request enters here: the routes, the token check, the security headers, the mapping of
/// errors to status codes, and one access-log line.
///
/// | route | |
/// |---|---|
/// | `GET /` | the page |
/// | `HEAD` of every `GET` | the same headers, no body |
/// | `GET /api/summary` | headline figures, last load, staleness (JSON) |
/// | `GET /api/reports/{report}` | one report (JSON) |
/// | `GET /api/trend` | orders and revenue per day, the page's trend (JSON) |
/// | `GET /reports/{report}.csv` | one report (CSV download) |
/// | `GET /healthz` | database check, no token needed |
/// | `GET, POST /login` | token -> session cookie |
struct DashboardRouter: HTTPHandler {
    let data: DashboardData
    let auth: TokenAuth
    let log: @Sendable (String) -> Void

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let started = ContinuousClock.now
        // HEAD is answered as GET; the server sends the headers (Content-Length included) without the body.
        var routed = request
        if request.method == .HEAD { routed.method = .GET }
        var response = await route(routed)
        SecurityHeaders.apply(to: &response.headers)
        let elapsed = ContinuousClock.now - started
        // The path only (a query string may hold a login token), escaped: it is the client's text.
        log("\(LogText.escaped(request.method.rawValue)) \(LogText.escaped(request.path)) \(response.statusCode.code) \(elapsed.milliseconds) ms")
        return response
    }

    func route(_ request: HTTPRequest) async -> HTTPResponse {
        let path = request.path
        do {
            switch path {
            case "/healthz":
                guard request.method == .GET else { return Self.methodNotAllowed(path) }
                return await HealthHandler(data: data, log: log).handle(request)
            case "/login":
                return try await LoginHandler(auth: auth).handle(request)
            default:
                break
            }
            guard auth.isAuthorized(request) else { return challenge(request) }
            guard request.method == .GET else { return Self.methodNotAllowed(path) }
            if path == "/" {
                return try await PageHandler(data: data).handle(request)
            }
            if path == "/api/summary" {
                return try await APIHandlers(data: data).summary(request)
            }
            if path == "/api/trend" {
                return try await APIHandlers(data: data).trend(request)
            }
            if path.hasPrefix("/api/reports/"), let kind = ReportKind(rawValue: String(path.dropFirst("/api/reports/".count))) {
                return try await APIHandlers(data: data).report(kind, request)
            }
            if path.hasPrefix("/reports/"), path.hasSuffix(".csv"),
               let kind = ReportKind(rawValue: String(path.dropFirst("/reports/".count).dropLast(".csv".count))) {
                return try await CSVDownloadHandler(data: data).handle(kind, request)
            }
            return DashboardResponse.error(.notFound, message: "There is no page at this address.", path: path)
        } catch {
            return failure(error, path: path)
        }
    }

    /// 401: a sign-in form for a browser asking for a page, a JSON body for everything else.
    func challenge(_ request: HTTPRequest) -> HTTPResponse {
        var response: HTTPResponse
        if request.path == "/" {
            response = DashboardResponse.html(LoginHandler.page(error: nil), status: .unauthorized)
        } else {
            response = DashboardResponse.error(
                .unauthorized, message: "a token is required: send Authorization: Bearer <token>, or sign in at /login",
                path: request.path.hasPrefix("/api/") ? request.path : "/api/")
        }
        response.headers[HTTPHeader("WWW-Authenticate")] = "Bearer realm=\"warehouse dashboard\""
        return response
    }

    /// Bad input is the client's (400); a database that cannot answer is unavailable (503), with
    /// the fix when the schema is missing; anything else is logged in full and shown briefly (500),
    /// never with SQL or connection details.
    func failure(_ error: any Error, path: String) -> HTTPResponse {
        switch error {
        case let invalid as DashboardParameters.Invalid:
            return DashboardResponse.error(.badRequest, message: invalid.description, path: path)
        case let invalid as ReportError:
            return DashboardResponse.error(.badRequest, message: invalid.description, path: path)
        case is ConnectionPool.Busy:
            return DashboardResponse.error(.serviceUnavailable, message: "The dashboard is busy; try again in a moment.", path: path)
        case let postgres as PostgresError where Self.isMissingSchema(postgres):
            log("\(LogText.escaped(path)): \(postgres)")
            return DashboardResponse.error(
                .serviceUnavailable, message: "The warehouse schema is missing or incomplete: run `warehouse migrate`.", path: path)
        case let postgres as PostgresError where postgres.kind == .connection || postgres.sqlState?.hasPrefix("08") == true
            || postgres.sqlState?.hasPrefix("57") == true:
            log("\(LogText.escaped(path)): database unavailable: \(postgres)")
            return DashboardResponse.error(.serviceUnavailable, message: "The database is not answering; try again shortly.", path: path)
        default:
            log("\(LogText.escaped(path)): \(error)")
            return DashboardResponse.error(.internalServerError, message: "Something went wrong reading the warehouse; see the server log.", path: path)
        }
    }

    /// Undefined table, schema or function: the database was never migrated (or only partly).
    static func isMissingSchema(_ error: PostgresError) -> Bool {
        ["42P01", "3F000", "42883"].contains(error.sqlState ?? "")
    }

    static func methodNotAllowed(_ path: String) -> HTTPResponse {
        var response = DashboardResponse.error(.methodNotAllowed, message: "This address only answers GET and HEAD.", path: path)
        response.headers[HTTPHeader("Allow")] = "GET, HEAD"
        return response
    }
}
