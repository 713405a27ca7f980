import Foundation

/// Writes Prometheus' text exposition format: `# HELP`, `# TYPE`, then the samples of each
/// family, label values escaped as the format requires.
struct MetricsText {
    private(set) var output = ""

    mutating func family(_ name: String, _ type: String, _ help: String) {
        output += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        let labelText = labels.isEmpty ? "" : "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
        output += "\(name)\(labelText) \(Self.format(value))\n"
    }

    mutating func gauge(_ name: String, _ help: String, _ value: Double) {
        family(name, "gauge", help)
        sample(name, [], value)
    }

    /// `\`, `"` and line feeds escaped.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Integers without a fraction; `+Inf` as the format spells it.
    static func format(_ value: Double) -> String {
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

enum RequestMetricsText {
    static func write(_ state: RequestMetrics.State, to text: inout MetricsText) {
        text.family("warehouse_http_requests_total", "counter", "HTTP requests answered, by route and status code.")
        for route in state.requests.keys.sorted() {
            for (code, count) in state.requests[route]!.sorted(by: { $0.key < $1.key }) {
                text.sample("warehouse_http_requests_total", [("route", route), ("code", String(code))], Double(count))
            }
        }
        text.family("warehouse_http_request_duration_seconds", "histogram", "Time to answer a request, by route.")
        for route in state.latency.keys.sorted() {
            let histogram = state.latency[route]!
            var cumulative = 0
            for (bound, count) in zip(RequestMetrics.buckets, histogram.counts) {
                cumulative += count
                text.sample("warehouse_http_request_duration_seconds_bucket", [("route", route), ("le", MetricsText.format(bound))], Double(cumulative))
            }
            text.sample("warehouse_http_request_duration_seconds_bucket", [("route", route), ("le", "+Inf")], Double(histogram.count))
            text.sample("warehouse_http_request_duration_seconds_sum", [("route", route)], histogram.sum)
            text.sample("warehouse_http_request_duration_seconds_count", [("route", route)], Double(histogram.count))
        }
    }
}
