import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging

/// The supplier's HTTP side (docs/supplier-api.md): pages of orders, or a CSV snapshot.
///
/// Each request is retried per ``RetryPolicy`` on network errors, timeouts, 429 and 5xx; any
/// other status fails at once with the server's own message. The token goes only into the
/// `Authorization` header and is cut out of every message, even one the server echoes back.
public final class SupplierClient: Sendable {
    public struct Timeouts: Sendable {
        /// Time to open the connection.
        public var connect: Duration
        /// Time the server may stay silent: before its first byte (on top of `connect`) and
        /// between two parts of the body.
        public var read: Duration
        /// Time for the whole request, from sending it to the body's last byte, however
        /// steadily the bytes come: a server dripping a byte a second never trips `read`.
        public var deadline: Duration

        public init(connect: Duration = .seconds(10), read: Duration = .seconds(60), deadline: Duration = .seconds(300)) {
            self.connect = connect
            self.read = read
            self.deadline = deadline
        }
    }

    /// No page of orders is this large; a body that is has gone wrong.
    static let pageSizeLimit = 64 << 20

    let configuration: SupplierConfiguration
    let timeouts: Timeouts
    let retry: RetryPolicy
    let logger: Logger
    private let transport: HTTPTransport

    init(configuration: SupplierConfiguration, timeouts: Timeouts, retry: RetryPolicy, logger: Logger) {
        self.configuration = configuration
        self.timeouts = timeouts
        self.retry = retry
        self.logger = logger
        transport = HTTPTransport(timeouts: .init(connect: timeouts.connect, read: timeouts.read, deadline: timeouts.deadline))
    }

    deinit { transport.invalidate() }

    /// `GET {base}/orders?updated_since=…&cursor=…&limit=…`, returning the raw body.
    func ordersPage(updatedSince: SupplierTimestamp?, cursor: String?, limit: Int) async throws -> Data {
        guard let base = configuration.baseURL else { throw SupplierError(.configuration, "no supplier API URL") }
        return try await send(Self.ordersURL(base: base, updatedSince: updatedSince, cursor: cursor, limit: limit), file: nil).body
    }

    /// Downloads `url` into `file` (replaced on each attempt); returns the byte count.
    func download(_ url: URL, to file: URL) async throws -> Int {
        try await send(url, file: file).bodyBytes
    }

    static func ordersURL(base: URL, updatedSince: SupplierTimestamp?, cursor: String?, limit: Int) -> URL {
        var query: [String] = []
        if let updatedSince { query.append("updated_since=" + percentEncoded(updatedSince.iso8601)) }
        if let cursor { query.append("cursor=" + percentEncoded(cursor)) }
        query.append("limit=\(limit)")
        var text = base.absoluteString
        if let queryStart = text.firstIndex(of: "?") { text = String(text[..<queryStart]) }
        if !text.hasSuffix("/") { text += "/" }
        return URL(string: text + "orders?" + query.joined(separator: "&"))!
    }

    /// Everything but RFC 3986's unreserved characters is escaped: an opaque cursor may hold
    /// `+` or `/`, which a server would otherwise read as a space or a path.
    private static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    // MARK: - Sending with retries

    private func send(_ url: URL, file: URL?) async throws -> HTTPExchange {
        var request = URLRequest(url: url)
        request.httpMethod = "GET"
        request.setValue(file == nil ? "application/json" : "text/csv, application/gzip;q=0.9, */*;q=0.1", forHTTPHeaderField: "Accept")
        request.setValue("warehouse/0.1", forHTTPHeaderField: "User-Agent")
        if let token = configuration.token { request.setValue(token.authorization, forHTTPHeaderField: "Authorization") }
        let shown = "GET " + SupplierConfiguration.display(url)

        var attempt = 0
        while true {
            attempt += 1
            let failure: SupplierError
            var retryAfter: String?
            do {
                let handle = try file.map(LandingArea.createPrivateFile)
                defer { try? handle?.close() }
                let exchange = try await transport.send(
                    request, timeouts: .init(connect: timeouts.connect, read: timeouts.read, deadline: timeouts.deadline),
                    file: handle, memoryLimit: Self.pageSizeLimit)
                if (200..<300).contains(exchange.status) { return exchange }
                retryAfter = exchange.headers["retry-after"]
                failure = httpError(exchange, request: shown)
            } catch let error as SupplierError {
                failure = error
            } catch {
                if Task.isCancelled { throw CancellationError() }
                failure = transportError(error, request: shown)
            }
            guard failure.isRetryable else { throw failure.after(attempts: attempt) }
            guard let delay = retry.delay(afterAttempt: attempt, retryAfter: retryAfter) else {
                if attempt < retry.maximumAttempts, let retryAfter {
                    throw SupplierError(failure.code, failure.message + "; the server asks to retry after \(retryAfter), "
                        + "longer than the \(Self.format(retry.maximumRetryAfter)) this pull waits", status: failure.status, attempts: attempt)
                }
                throw failure.after(attempts: attempt)
            }
            logger.warning("\(failure.message); retrying in \(Self.format(delay)) (attempt \(attempt + 1) of \(retry.maximumAttempts))")
            try await retry.sleep(delay)
        }
    }

    private func httpError(_ exchange: HTTPExchange, request: String) -> SupplierError {
        let status = exchange.status
        let reason = HTTPURLResponse.localizedString(forStatusCode: status)
        var message = "\(request): HTTP \(status) \(reason)"
        if let said = serverMessage(exchange.body) { message += ": " + said }
        switch status {
        case 300..<400:
            message += "; redirect to \(exchange.headers["location"].map { redact($0) } ?? "?") not followed: configure the new address"
            return SupplierError(.http, message, status: status)
        case 401, 403:
            return SupplierError(.http, message + " (check the supplier token)", status: status)
        case 429, 500..<600:
            return SupplierError(.http, message, status: status, isRetryable: true)
        default:
            return SupplierError(.http, message, status: status)
        }
    }

    private func transportError(_ error: any Error, request: String) -> SupplierError {
        switch error {
        case HTTPTransport.Failure.noResponse(let budget):
            return SupplierError(.timeout, "\(request): no response within \(Self.format(budget)) "
                + "(connect timeout \(Self.format(timeouts.connect)) + read timeout \(Self.format(timeouts.read)))", isRetryable: true)
        case HTTPTransport.Failure.stalled(let budget):
            return SupplierError(.timeout, "\(request): the response stalled for more than \(Self.format(budget)) (read timeout)", isRetryable: true)
        case HTTPTransport.Failure.pastDeadline(let deadline):
            return SupplierError(.timeout, "\(request): no complete response within the request deadline of \(Self.format(deadline)) "
                + "(the server sends too slowly, or too much)", isRetryable: true)
        case HTTPTransport.Failure.tooLarge(let limit):
            return SupplierError(.malformedResponse, "\(request): the response is larger than \(limit >> 20) MiB")
        case HTTPTransport.Failure.writeFailed(let reason):
            return SupplierError(.landing, "\(request): cannot write the download: \(reason)")
        case let error as URLError:
            let text = redact(error.localizedDescription)
            if error.code == .timedOut { return SupplierError(.timeout, "\(request): \(text)", isRetryable: true) }
            return SupplierError(.network, "\(request): \(text) (URLError \(error.code.rawValue))",
                                 isRetryable: Self.retryableNetworkErrors.contains(error.code))
        default:
            return SupplierError(.network, "\(request): \(redact(String(describing: error)))")
        }
    }

    /// Failures of the path, not of the request: another attempt may well succeed.
    private static let retryableNetworkErrors: Set<URLError.Code> = [
        .timedOut, .cannotConnectToHost, .networkConnectionLost, .cannotFindHost, .dnsLookupFailed,
        .notConnectedToInternet, .badServerResponse, .resourceUnavailable, .cannotLoadFromNetwork, .zeroByteResource,
    ]

    /// The server's explanation: `message`, `error` or `detail` of a JSON body (or
    /// `error.message`), else the body's text; as a short, sanitised ``ErrorBodyExcerpt``.
    private func serverMessage(_ body: Data) -> String? {
        guard !body.isEmpty else { return nil }
        var text: String?
        if let document = try? JSONParser.parse(body) {
            for key in ["message", "error", "detail", "error_description"] {
                if case .string(let value)? = document[key] { text = value; break }
                if case .string(let value)? = document[key]?["message"] { text = value; break }
            }
        }
        return ErrorBodyExcerpt.make(text ?? String(decoding: body, as: UTF8.self), token: configuration.token)
    }

    private func redact(_ text: String) -> String { configuration.token?.redact(text) ?? text }

    static func format(_ duration: Duration) -> String {
        let seconds = duration.asSeconds
        return seconds < 10 ? String(format: "%.2f s", seconds) : "\(Int(seconds.rounded())) s"
    }
}
