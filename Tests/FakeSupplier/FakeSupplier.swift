import FlyingFox
import FlyingSocks
public import Foundation
import WarehouseKit

/// The supplier's API (docs/supplier-api.md) played by a real HTTP server on 127.0.0.1 with an
/// ephemeral port, for tests. It pages its orders by (updated_at, order_id) with an opaque
/// cursor, honours `updated_since` (inclusive) and `limit`, checks the bearer token, records
/// every request, and can be told to misbehave for the next requests (``Misbehaviour``).
public final class FakeSupplier: @unchecked Sendable {
    /// One order; `price` is the JSON literal exactly as it is sent (`19.99`, `1e2`, `"5"`).
    public struct Order: Sendable {
        public var id: Int
        public var customer: String
        public var price: String
        public var date: String
        public var product: String
        public var passengers: Int
        public var updatedAt: String

        public init(id: Int, customer: String, price: String, date: String, product: String = "transfer",
                    passengers: Int = 1, updatedAt: String) {
            (self.id, self.customer, self.price, self.date, self.product, self.passengers, self.updatedAt) =
                (id, customer, price, date, product, passengers, updatedAt)
        }

        /// With a member the contract does not name, which clients must ignore.
        var json: String {
            #"{"order_id": \#(id), "customer_name": \#(Self.quoted(customer)), "price": \#(price), "order_date": "\#(date)", "#
                + #""product_id": "\#(product)", "passenger_count": \#(passengers), "updated_at": "\#(updatedAt)", "#
                + #""loyalty_tier": {"level": 2, "tags": ["x"]}}"#
        }

        static func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
    }

    /// What the next request to /orders gets instead of its page.
    public enum Misbehaviour: Sendable {
        /// Behave: answer with the right page (to script a later request).
        case normal
        case status(Int, headers: [String: String] = [:], body: String = "")
        /// Waits this long before answering (the client should have given up by then).
        case hang(Duration)
        /// 200 with this exact body.
        case body(String)
        /// The right page, cut in the middle of the JSON (a complete HTTP response).
        case truncatedJSON
        /// The right page's headers promise more bytes than are sent; the body then stops.
        case shortBody
        /// The right page, one byte every `interval`: never silent for long, never done soon.
        case drip(every: Duration)
    }

    public struct Request: Sendable {
        public var path: String
        public var query: [String: String]
        public var authorization: String?
    }

    public let token: String
    public private(set) var baseURL: URL
    private let server: HTTPServer
    private var serverTask: Task<Void, any Error>?
    private let lock = NSLock()
    private var orders: [Int: Order] = [:]
    private var misbehaviours: [Misbehaviour] = []
    private var requestLog: [Request] = []
    private var csv = Data()

    private init(token: String) throws {
        self.token = token
        server = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: 0), logger: .disabled)
        baseURL = URL(string: "http://127.0.0.1")!
    }

    /// Starts the server and waits until it listens.
    public static func start(token: String = "test-token-5f0e2a") async throws -> FakeSupplier {
        let supplier = try FakeSupplier(token: token)
        await supplier.server.appendRoute("GET /api/v1/orders") { [supplier] request in try await supplier.orders(request) }
        await supplier.server.appendRoute("GET /snapshot.csv") { [supplier] request in supplier.snapshot(request) }
        supplier.serverTask = Task { [server = supplier.server] in try await server.run() }
        try await supplier.server.waitUntilListening(timeout: 60)
        let address = await supplier.server.listeningAddress
        guard case .ip4(_, let port)? = address else {
            throw URLError(.cannotConnectToHost)
        }
        supplier.baseURL = URL(string: "http://127.0.0.1:\(port)/api/v1")!
        return supplier
    }

    public func stop() async {
        await server.stop(timeout: 0)
        serverTask?.cancel()
    }

    /// Adds or replaces orders (by id).
    public func put(_ new: [Order]) { lock.withLock { for order in new { orders[order.id] = order } } }

    public func misbehave(_ next: Misbehaviour...) { lock.withLock { misbehaviours += next } }

    public func setCSV(_ text: String) { lock.withLock { csv = Data(text.utf8) } }

    public var requests: [Request] { lock.withLock { requestLog } }

    public var csvURL: URL { URL(string: baseURL.absoluteString.replacingOccurrences(of: "/api/v1", with: "/snapshot.csv"))! }

    // MARK: - Handlers

    private func orders(_ request: HTTPRequest) async throws -> HTTPResponse {
        let query = Dictionary(request.query.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        let misbehaviour: Misbehaviour? = lock.withLock {
            requestLog.append(Request(path: request.path, query: query, authorization: request.headers[.authorization]))
            return misbehaviours.isEmpty ? nil : misbehaviours.removeFirst()
        }
        guard request.headers[.authorization] == "Bearer \(token)" else {
            return json(401, #"{"error": "invalid or expired token"}"#)
        }
        switch misbehaviour {
        case nil, .normal?: return json(200, page(query))
        case .status(let code, let headers, let body)?:
            var response = HTTPResponse(statusCode: HTTPStatusCode(code, phrase: "Scripted"), body: Data(body.utf8))
            for (name, value) in headers { response.headers[HTTPHeader(name)] = value }
            return response
        case .hang(let duration)?:
            try? await Task.sleep(for: duration)
            return json(200, page(query))
        case .body(let text)?: return json(200, text)
        case .truncatedJSON?:
            let full = page(query)
            return json(200, String(full.prefix(full.count / 2)))
        case .shortBody?:
            let full = Data(page(query).utf8)
            var response = HTTPResponse(statusCode: .ok, body: full.prefix(full.count / 2))
            response.headers[.contentLength] = String(full.count)
            return response
        case .drip(let interval)?:
            let full = Data(page(query).utf8)
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"],
                                body: HTTPBodySequence(from: DripBytes(bytes: Array(full), interval: interval), count: full.count,
                                                       suggestedBufferSize: 1))
        }
    }

    /// The contract: updated_at >= updated_since, ordered by (updated_at, order_id), `limit`
    /// at a time, the cursor an opaque position (with characters that need escaping in a URL).
    private func page(_ query: [String: String]) -> String {
        let since = query["updated_since"].flatMap(SupplierTimestamp.init(iso8601:))
        let limit = query["limit"].flatMap(Int.init) ?? 100
        let offset = query["cursor"].flatMap { Int($0.dropFirst(2).prefix { $0.isNumber }) } ?? 0
        let selected = lock.withLock { Array(orders.values) }
            .map { (order: $0, at: SupplierTimestamp(iso8601: $0.updatedAt)!) }
            .filter { since == nil || $0.at >= since! }
            .sorted { ($0.at, $0.order.id) < ($1.at, $1.order.id) }
        let slice = selected.dropFirst(offset).prefix(limit)
        let next = offset + limit < selected.count ? "\"p+\(offset + limit)/=\"" : "null"
        return #"{"orders": ["# + slice.map(\.order.json).joined(separator: ", ") + #"], "next_cursor": \#(next), "server_time": "now"}"#
    }

    private func snapshot(_ request: HTTPRequest) -> HTTPResponse {
        lock.withLock {
            requestLog.append(Request(path: request.path, query: [:], authorization: request.headers[.authorization]))
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/csv"], body: csv)
        }
    }

    private func json(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(statusCode: HTTPStatusCode(status, phrase: status == 200 ? "OK" : "Error"),
                     headers: [.contentType: "application/json"], body: Data(body.utf8))
    }
}

/// Bytes handed out one at a time, `interval` apart (ends early when the request is cancelled:
/// the client hung up).
private struct DripBytes: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let bytes: [UInt8]
    let interval: Duration

    func makeAsyncIterator() -> Iterator { Iterator(bytes: bytes[...], interval: interval) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var bytes: ArraySlice<UInt8>
        let interval: Duration

        mutating func next() async -> UInt8? { await nextBuffer(suggested: 1)?.first }

        mutating func nextBuffer(suggested count: Int) async -> [UInt8]? {
            guard let byte = bytes.first else { return nil }
            do { try await Task.sleep(for: interval) } catch { return nil }
            bytes = bytes.dropFirst()
            return [byte]
        }
    }
}
