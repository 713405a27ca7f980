import Foundation

/// The supplier's bearer token. It prints as `****` everywhere (`description`, `dump`, string
/// interpolation), so no log line, error or summary can carry it by accident.
public struct SupplierToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    /// - Returns: nil for an empty or whitespace-only token (an empty token file is a mistake).
    public init?(_ value: String) {
        let trimmed = value.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty, !trimmed.contains(where: { $0 == "\n" || $0 == "\r" }) else { return nil }
        self.value = trimmed
    }

    public var description: String { "****" }
    public var debugDescription: String { "SupplierToken(****)" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// The `Authorization` header value; only the HTTP client calls this.
    var authorization: String { "Bearer " + value }

    /// `text` with every occurrence of the token replaced by `****`: a server that echoes the
    /// request (or the token) in its error message must not make us print it.
    func redact(_ text: String) -> String {
        text.replacingOccurrences(of: value, with: "****")
    }
}
