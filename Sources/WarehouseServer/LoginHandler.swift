import Foundation
import FlyingFox

/// `/login`: turns a correct token into the session cookie, then sends the browser to `/`.
///
/// `GET /login?token=…` makes a bookmarkable link for a trusted screen; the form POSTs instead,
/// so a typed token stays out of the address bar and history. Either way the response redirects
/// at once (and `Referrer-Policy: no-referrer` keeps the URL from leaking onward), and the token is
/// never logged: the access log records paths without query strings.
struct LoginHandler: Sendable {
    let auth: TokenAuth
    /// A form body is a token, not an upload: anything larger is refused unread.
    static let largestBody = 4_096

    func handle(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard auth.isEnabled else { return DashboardResponse.redirect(to: "/") }
        let candidate: String?
        switch request.method {
        case .GET:
            candidate = request.query.first { $0.name == "token" }?.value
        case .POST:
            let length = Int(request.headers[.contentLength] ?? "") ?? 0
            guard length <= Self.largestBody else {
                return DashboardResponse.error(.init(413, phrase: "Content Too Large"), message: "the login form is too large", path: "/login")
            }
            candidate = Self.formValue("token", in: try await request.bodyData)
        default:
            return DashboardResponse.error(.methodNotAllowed, message: "use GET or POST", path: "/login")
        }
        guard let candidate else { return DashboardResponse.html(Self.page(error: nil)) }
        guard auth.accepts(candidate) else {
            return DashboardResponse.html(Self.page(error: "That token is not right."), status: .unauthorized)
        }
        return DashboardResponse.redirect(to: "/", setCookie: auth.startSessionCookie())
    }

    /// The sign-in form; also the body of a 401 for a browser that asked for a page.
    static func page(error: String?) -> String {
        let message = error.map { "<div class=\"alert failed\" role=\"alert\">\($0.html)</div>" } ?? ""
        return PageLayout.document(title: "Sign in · Orders dashboard", body: """
            <main><div class="login"><h1>Orders dashboard</h1>
            <p class="subtitle">This dashboard needs its access token (the <code>--token</code> given to \
            <code>warehouse serve</code>).</p>
            <form method="post" action="/login">\(message)
            <label for="token">Access token</label>
            <input type="password" id="token" name="token" autocomplete="current-password" required autofocus>
            <button type="submit">Sign in</button>
            </form></div></main>
            """)
    }

    /// One field of an `application/x-www-form-urlencoded` body (`+` is a space).
    static func formValue(_ name: String, in body: Data) -> String? {
        guard let text = String(data: body, encoding: .utf8) else { return nil }
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            guard key == name else { continue }
            let value = parts.count > 1 ? String(parts[1]) : ""
            return value.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        return nil
    }
}
