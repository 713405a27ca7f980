/// Why a pull stopped. Messages name the request (URL with credentials removed, never the
/// token), the page, and what the server said; whatever the reason, nothing was loaded.
public struct SupplierError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, for callers that react differently (tests, the scheduler's log).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String { case configuration, network, timeout, http, malformedResponse, contract, landing }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// Missing or unusable URL, token or config file.
        public static let configuration = Code(.configuration)
        /// The connection failed or broke (retried first).
        public static let network = Code(.network)
        /// No answer within the connect or read timeout (retried first).
        public static let timeout = Code(.timeout)
        /// The server answered with an error status.
        public static let http = Code(.http)
        /// The body is not JSON, or is truncated.
        public static let malformedResponse = Code(.malformedResponse)
        /// Valid JSON that breaks the API contract: a missing field, a wrong type, a cursor loop.
        public static let contract = Code(.contract)
        /// The landing folder could not be written.
        public static let landing = Code(.landing)

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let message: String
    /// The HTTP status of the last response, when there was one.
    public let status: Int?
    /// How many requests were made for the page that failed (1 when it was not retried).
    public let attempts: Int
    /// Whether another attempt may succeed: network errors, timeouts, 429 and 5xx.
    public let isRetryable: Bool

    init(_ code: Code, _ message: String, status: Int? = nil, attempts: Int = 1, isRetryable: Bool = false) {
        self.code = code
        self.message = message
        self.status = status
        self.attempts = attempts
        self.isRetryable = isRetryable
    }

    /// The same error, noting how many attempts were made before giving up.
    func after(attempts: Int) -> SupplierError {
        SupplierError(code, message, status: status, attempts: attempts, isRetryable: isRetryable)
    }

    public var description: String {
        attempts > 1 ? "\(message) (gave up after \(attempts) attempts)" : message
    }
}
