import FlyingFox

/// Headers on every response, errors included.
///
/// The page needs no script, font, frame or outside resource, so the policy allows none: only the
/// inline stylesheet, images from this origin or `data:` URLs, and forms posting back here. Even an
/// escaping bug could then not run script. Responses are never cached: they hold business data,
/// and change with every load.
/// See https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy
enum SecurityHeaders {
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'"

    static func apply(to headers: inout HTTPHeaders) {
        headers[HTTPHeader("Content-Security-Policy")] = contentSecurityPolicy
        headers[HTTPHeader("X-Content-Type-Options")] = "nosniff"
        headers[HTTPHeader("Referrer-Policy")] = "no-referrer"
        headers[HTTPHeader("X-Frame-Options")] = "DENY"
        headers[HTTPHeader("Cross-Origin-Resource-Policy")] = "same-origin"
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
    }
}
