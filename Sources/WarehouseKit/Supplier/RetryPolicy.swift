public import Foundation

/// When to try a supplier request again, and how long to wait first.
///
/// Exponential backoff with "equal jitter" (half the delay fixed, half random), so that many
/// clients that failed together do not all come back together, yet each one still backs off.
/// A `Retry-After` header is obeyed as given (seconds or an HTTP date), up to
/// ``maximumRetryAfter``; a server that asks for longer makes the pull fail now, to be run
/// again by the schedule. See https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
public struct RetryPolicy: Sendable {
    /// Requests per page, the first one included.
    public var maximumAttempts = 5
    public var initialDelay: Duration = .milliseconds(500)
    public var maximumDelay: Duration = .seconds(30)
    public var multiplier = 2.0
    public var maximumRetryAfter: Duration = .seconds(300)
    /// A number in 0..<1; injected by tests for repeatable delays.
    public var random: @Sendable () -> Double = { Double.random(in: 0..<1) }
    /// How to wait; tests inject one that records the delay and returns at once.
    public var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    /// The current time, for `Retry-After` dates.
    public var now: @Sendable () -> Date = { Date() }

    public init() {}

    /// The wait before attempt `attempt + 1`, after attempt `attempt` (1-based) failed in a
    /// retryable way; nil when the attempts are used up or the server asks for too long.
    func delay(afterAttempt attempt: Int, retryAfter: String?) -> Duration? {
        guard attempt < maximumAttempts else { return nil }
        if let header = retryAfter, let asked = Self.parseRetryAfter(header, now: now()) {
            return asked <= maximumRetryAfter ? asked : nil
        }
        let exponential = initialDelay * pow(multiplier, Double(min(attempt - 1, 40)))
        let capped = min(exponential, maximumDelay)
        return capped / 2 + capped / 2 * random()
    }

    /// `Retry-After: 120` or `Retry-After: Fri, 31 Dec 1999 23:59:59 GMT`; a date in the past
    /// means "now". Anything else is ignored (the backoff applies).
    static func parseRetryAfter(_ header: String, now: Date) -> Duration? {
        let text = header.trimmingASCIIWhitespace()
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            guard let seconds = Int(text) else { return .seconds(Int.max / 2) }  // absurdly long: refused by the caller
            return .seconds(seconds)
        }
        guard let date = httpDateFormatter.date(from: text) else { return nil }
        let seconds = max(0, date.timeIntervalSince(now))
        return .milliseconds(Int((seconds * 1000).rounded(.up)))
    }

    /// IMF-fixdate, the one HTTP date format servers must send (RFC 9110 §5.6.7).
    private static var httpDateFormatter: DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }
}
