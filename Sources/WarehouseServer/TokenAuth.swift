import Foundation
import FlyingFox
import WarehouseKit

/// The optional shared-secret check in front of every route but `/healthz` and `/login`.
///
/// A client proves it knows the token either with `Authorization: Bearer <token>` (scripts, the
/// API) or with the session cookie that `/login` sets after checking the token (browsers). The
/// cookie holds a random session id (see ``SessionStore``), which expires after 12 hours on the
/// server and in the browser, and is `HttpOnly` (no script can read it, and the page runs none)
/// and `SameSite=Strict` (other sites cannot make the browser send it). Comparisons take the same
/// time whatever the input, so response timing does not reveal how much of a guess was right.
struct TokenAuth: Sendable {
    static let cookieName = "warehouse_session"

    /// `nil`: no token configured, every request is allowed (loopback only, or --insecure-no-token).
    let token: String?
    let sessions: SessionStore

    init(token: String?, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.token = token
        sessions = SessionStore(now: now)
    }

    var isEnabled: Bool { token != nil }

    func isAuthorized(_ request: HTTPRequest) -> Bool {
        isAuthorized(authorization: request.headers[.authorization], cookie: request.headers[.cookie])
    }

    func isAuthorized(authorization: String?, cookie: String?) -> Bool {
        guard let token else { return true }
        if let header = authorization {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer",
               Self.constantTimeEqual(String(parts[1]).trimmingCharacters(in: .whitespaces), token) {
                return true
            }
        }
        if let cookie = Self.cookie(named: Self.cookieName, in: cookie) {
            return sessions.isValid(cookie)
        }
        return false
    }

    /// Whether `candidate` is the configured token.
    func accepts(_ candidate: String) -> Bool {
        guard let token else { return false }
        return Self.constantTimeEqual(candidate, token)
    }

    /// A new session id (nil without a token: nothing to sign in to).
    func startSession() -> String? {
        token == nil ? nil : sessions.start()
    }

    /// The cookie for a new session, lasting as long in the browser as on the server. No `Secure`
    /// flag, as the dashboard speaks plain HTTP (put a TLS proxy in front of it beyond one machine).
    func startSessionCookie() -> String? {
        startSession().map {
            "\(Self.cookieName)=\($0); Max-Age=\(SessionStore.lifetime.components.seconds); Path=/; HttpOnly; SameSite=Strict"
        }
    }

    /// The value of cookie `name` in a `Cookie:` header (`a=1; b=2`).
    static func cookie(named name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// Compares digests of both strings, so the time taken depends on neither their contents nor
    /// the length of the common prefix.
    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(SHA256Hasher.hex(of: lhs).utf8)
        let right = Array(SHA256Hasher.hex(of: rhs).utf8)
        var difference: UInt8 = 0
        for (a, b) in zip(left, right) { difference |= a ^ b }
        return difference == 0 && left.count == right.count
    }
}
