import Foundation
import Synchronization
import Testing
import WarehouseKit
@testable import WarehouseServer
import WarehouseTestSupport

/// A clock a test moves by hand.
final class ManualInstant: Sendable {
    private let current = Mutex(ContinuousClock.now)
    var now: @Sendable () -> ContinuousClock.Instant { { self.current.withLock { $0 } } }
    func advance(by duration: Duration) { current.withLock { $0 += duration } }
}

/// The optional token: bearer header, login cookie, and the loopback rule.
@Suite("Dashboard: token and loopback", .blockingWork)
struct DashboardAuthTests {
    static let token = "test-token-7f3a9c2e"

    @Test("with a token every route but /healthz and /login needs it")
    func required() async throws {
        try await DashboardTestServer.with(token: Self.token) { server in
            let page = try await server.get("/")
            #expect(page.status == 401)
            #expect(page.body.contains("<form method=\"post\" action=\"/login\">"))
            #expect(page.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
            #expect(try await server.get("/api/summary").status == 401)
            #expect(try await server.get("/reports/top-customers.csv").status == 401)
            #expect(try await server.get("/api/summary", headers: ["Authorization": "Bearer wrong"]).status == 401)
            #expect(try await server.get("/api/summary", headers: ["Authorization": "Bearer \(Self.token)"]).status == 200)
            #expect(try await server.get("/?as_of=2023-12-10", headers: ["Authorization": "Bearer \(Self.token)"]).status == 200)
            #expect(try await server.get("/healthz").status == 200)
        }
    }

    @Test("/login turns the token into an HttpOnly, SameSite=Strict cookie that opens the page")
    func login() async throws {
        try await DashboardTestServer.with(token: Self.token) { server in
            #expect(try await server.get("/login").status == 200)
            #expect(try await server.get("/login?token=wrong").status == 401)

            let login = try await server.get("/login?token=\(Self.token)")
            #expect(login.status == 303 && login.header("Location") == "/")
            let setCookie = try #require(login.header("Set-Cookie"))
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/"))
            #expect(!setCookie.contains(Self.token))
            let cookie = String(setCookie.prefix { $0 != ";" })
            #expect(try await server.get("/", headers: ["Cookie": cookie]).status == 200)
            #expect(try await server.get("/api/summary", headers: ["Cookie": "other=1; " + cookie]).status == 200)
            // The cookie proves a login; the raw token in its place does not.
            #expect(try await server.get("/", headers: ["Cookie": "\(TokenAuth.cookieName)=\(Self.token)"]).status == 401)

            let form = try await server.request(
                "POST", "/login", headers: ["Content-Type": "application/x-www-form-urlencoded"], body: "token=\(Self.token)")
            #expect(form.status == 303)
            let formCookie = try #require(form.header("Set-Cookie").map { String($0.prefix { $0 != ";" }) })
            #expect(formCookie != cookie)  // every sign-in gets a session of its own
            #expect(try await server.get("/", headers: ["Cookie": formCookie]).status == 200)
            let wrong = try await server.request(
                "POST", "/login", headers: ["Content-Type": "application/x-www-form-urlencoded"], body: "token=nope")
            #expect(wrong.status == 401 && wrong.body.contains("That token is not right."))
        }
    }

    @Test("the session cookie is a random id lasting 12 hours, not derived from the token")
    func sessionCookie() async throws {
        try await DashboardTestServer.with(orders: nil, token: Self.token) { server in
            let setCookie = try #require(try await server.get("/login?token=\(Self.token)").header("Set-Cookie"))
            #expect(setCookie.contains("Max-Age=43200"))
            let value = String(setCookie.prefix { $0 != ";" }.dropFirst(TokenAuth.cookieName.count + 1))
            #expect(value.count == 64 && value.allSatisfy(\.isHexDigit))
            // The old scheme's cookie, a digest anyone knowing the token computes without signing in, opens nothing.
            let digest = SHA256Hasher.hex(of: "warehouse-dashboard-session\u{0}" + Self.token)
            #expect(try await server.get("/api/summary", headers: ["Cookie": "\(TokenAuth.cookieName)=\(digest)"]).status == 401)
            #expect(try await server.get("/api/summary", headers: ["Cookie": "\(TokenAuth.cookieName)=\(value)"]).status == 200)
        }
    }

    @Test("a session is refused once its 12 hours are over")
    func sessionExpiry() throws {
        let clock = ManualInstant()
        let auth = TokenAuth(token: Self.token, now: clock.now)
        let value = try #require(auth.startSession())
        let cookie = "\(TokenAuth.cookieName)=\(value)"
        #expect(auth.isAuthorized(authorization: nil, cookie: cookie))
        clock.advance(by: .seconds(12 * 3_600 - 1))
        #expect(auth.isAuthorized(authorization: nil, cookie: cookie))
        clock.advance(by: .seconds(2))
        #expect(!auth.isAuthorized(authorization: nil, cookie: cookie))
        // Another process (a restart) knows no sessions.
        #expect(!TokenAuth(token: Self.token).isAuthorized(authorization: nil, cookie: cookie))
    }

    @Test("without a token, only loopback addresses are served unless explicitly allowed")
    func loopbackRule() throws {
        func configuration(_ host: String, token: String? = nil, insecure: Bool = false) -> DashboardConfiguration {
            DashboardConfiguration(host: host, conninfo: "", token: token, allowsNonLoopbackWithoutToken: insecure)
        }
        for host in ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"] {
            #expect(throws: Never.self) { try configuration(host).validate() }
        }
        for host in ["0.0.0.0", "::", "192.168.1.10"] {
            let error = #expect(throws: DashboardConfigurationError.self) { try configuration(host).validate() }
            #expect(error?.description.contains("--insecure-no-token") == true)
            #expect(throws: Never.self) { try configuration(host, token: "secret").validate() }
            #expect(throws: Never.self) { try configuration(host, insecure: true).validate() }
        }
        #expect(throws: DashboardConfigurationError.self) { try configuration("dashboard.example.com").validate() }
        #expect(throws: DashboardConfigurationError.self) { try configuration("127.0.0.1", token: "has space").validate() }
    }
}
