/// What one HTTP request may cost the dashboard before it is refused.
///
/// The dashboard serves a page, small JSON and CSV downloads, and one tiny login form, so every
/// legitimate request is a few hundred bytes. The limits are far above that and far below what
/// would let one client occupy the server: a request is read in linear time, at most
/// ``requestLineBytes`` + ``headerBytes`` + ``bodyBytes`` of it are ever held, and a client that
/// sends slowly or not at all is cut off by ``requestTimeout`` and ``idleTimeout``.
public struct HTTPLimits: Sendable, Equatable {
    /// The request line (`GET /path?query HTTP/1.1`); longer is `414 URI Too Long`.
    public var requestLineBytes: Int
    /// All header lines together, excluding the request line; more is `431`.
    public var headerBytes: Int
    /// Header lines; more is `431 Request Header Fields Too Large`.
    public var headerCount: Int
    /// A request body (`Content-Length`); larger is `413 Content Too Large`, refused unread.
    public var bodyBytes: Int
    /// From the first byte of a request to its last; later is `408 Request Timeout`.
    public var requestTimeout: Duration
    /// How long a connection may stay open waiting for (the first byte of) a request.
    public var idleTimeout: Duration
    /// How long a request's handler may take (a cold report over millions of facts takes seconds).
    public var handlerTimeout: Duration
    /// How long writing a response may take, so a client that stops reading cannot hold it open.
    public var responseTimeout: Duration

    public init(
        requestLineBytes: Int = 8 * 1_024, headerBytes: Int = 16 * 1_024, headerCount: Int = 100,
        bodyBytes: Int = 64 * 1_024, requestTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(10),
        handlerTimeout: Duration = .seconds(90), responseTimeout: Duration = .seconds(30)
    ) {
        self.requestLineBytes = requestLineBytes
        self.headerBytes = headerBytes
        self.headerCount = headerCount
        self.bodyBytes = bodyBytes
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
        self.handlerTimeout = handlerTimeout
        self.responseTimeout = responseTimeout
    }

    /// The limits `warehouse serve` uses.
    public static let standard = HTTPLimits()
}
