import FlyingFox

/// A request refused before it reached a route: too large, too slow, or not HTTP the dashboard
/// speaks. The connection is answered with ``status`` (when it can be) and closed.
struct RequestRejection: Error, Sendable, Equatable {
    let status: HTTPStatusCode
    /// For the client and the log; never holds any of the request's bytes.
    let reason: String

    static func requestLineTooLong(_ limit: Int) -> Self {
        Self(status: .uriTooLong, reason: "the request line is longer than \(limit) bytes")
    }
    static func headersTooLarge(_ limit: Int) -> Self {
        Self(status: .requestHeaderFieldsTooLarge, reason: "the request headers are larger than \(limit) bytes")
    }
    static func tooManyHeaders(_ limit: Int) -> Self {
        Self(status: .requestHeaderFieldsTooLarge, reason: "the request has more than \(limit) headers")
    }
    static func bodyTooLarge(_ limit: Int) -> Self {
        Self(status: HTTPStatusCode(413, phrase: "Content Too Large"), reason: "the request body is larger than \(limit) bytes")
    }
    static let lengthRequired = Self(status: .lengthRequired, reason: "a request body needs a Content-Length (chunked bodies are not accepted)")
    static let timedOut = Self(status: .requestTimeout, reason: "the request did not arrive in time")
    static func malformed(_ what: String) -> Self { Self(status: .badRequest, reason: "malformed request: \(what)") }
}
