/// Whether the warehouse's data is recent enough: the age of the last load that confirmed it
/// (succeeded, or found the supplier's data identical to what was loaded) against a limit.
/// `warehouse freshness`, `status` and the dashboard's `/healthz` all judge it this way.
public struct Freshness: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        case fresh
        case stale
        /// No load ever succeeded.
        case never
    }

    public let state: State
    public let maxAgeSeconds: Double
    /// The last confirming load, if any.
    public let lastConfirmation: LoadBatchRecord?

    public init(lastConfirmation: LoadBatchRecord?, maxAgeSeconds: Double) {
        self.lastConfirmation = lastConfirmation
        self.maxAgeSeconds = maxAgeSeconds
        if let lastConfirmation {
            state = lastConfirmation.ageSeconds > maxAgeSeconds ? .stale : .fresh
        } else {
            state = .never
        }
    }

    public var isFresh: Bool { state == .fresh }

    /// Reads the last confirming load; ages are measured to `referenceTime` (ISO 8601), else
    /// to the database's `now()`.
    public static func check(on connection: PostgresConnection, maxAgeSeconds: Double, referenceTime: String? = nil) throws -> Freshness {
        let store = LoadHistoryStore(connection: connection, referenceTime: referenceTime)
        return Freshness(lastConfirmation: try store.lastConfirmation(), maxAgeSeconds: maxAgeSeconds)
    }

    /// One line for people: `fresh: the last successful load (batch 4) finished 3 h ago, …`.
    public var summary: String {
        let limit = Self.describe(seconds: maxAgeSeconds)
        guard let last = lastConfirmation else { return "never loaded: no load has succeeded yet" }
        let age = Self.describe(seconds: last.ageSeconds)
        switch state {
        case .fresh: return "fresh: the last successful load (batch \(last.batchID)) finished \(age) ago, within \(limit)"
        default: return "STALE: the last successful load (batch \(last.batchID)) finished \(age) ago, at \(last.finishedAt), more than \(limit)"
        }
    }

    /// `36h`, `90m`, `2d 3h`: whole units, for messages.
    public static func describe(seconds: Double) -> String {
        let total = Int(max(0, seconds).rounded())
        let (days, hours, minutes) = (total / 86_400, total % 86_400 / 3_600, total % 3_600 / 60)
        if days > 0 { return hours > 0 ? "\(days)d \(hours)h" : "\(days)d" }
        if hours > 0 { return minutes > 0 ? "\(hours)h \(minutes)m" : "\(hours)h" }
        if minutes > 0 { return "\(minutes)m" }
        return "\(total)s"
    }
}
