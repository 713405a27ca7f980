import Synchronization

/// Request counts and a latency histogram per route, kept in memory since the server started.
final class RequestMetrics: Sendable {
    /// Upper bounds in seconds, Prometheus' defaults: pages take milliseconds when cached,
    /// seconds for a large download.
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    struct Histogram {
        /// Per bucket, the requests that took at most its bound (not cumulative here).
        var counts = [Int](repeating: 0, count: RequestMetrics.buckets.count)
        var count = 0
        var sum = 0.0
    }

    struct State {
        /// Keyed by route, then status code.
        var requests: [String: [Int: Int]] = [:]
        var latency: [String: Histogram] = [:]
    }

    private let state = Mutex(State())

    /// A route as a label: the routes themselves, never the client's path (unbounded labels).
    static func route(_ path: String) -> String {
        switch path {
        case "/", "/healthz", "/login", "/metrics", "/api/summary": return path
        default:
            if path.hasPrefix("/api/reports/") { return "/api/reports/{report}" }
            if path.hasPrefix("/reports/") { return "/reports/{report}.csv" }
            return "other"
        }
    }

    func observe(path: String, status: Int, seconds: Double) {
        let route = Self.route(path)
        state.withLock { state in
            state.requests[route, default: [:]][status, default: 0] += 1
            var histogram = state.latency[route] ?? Histogram()
            if let bucket = Self.buckets.firstIndex(where: { seconds <= $0 }) { histogram.counts[bucket] += 1 }
            histogram.count += 1
            histogram.sum += seconds
            state.latency[route] = histogram
        }
    }

    func snapshot() -> State { state.withLock { $0 } }
}
