import Foundation
import Testing
@testable import WarehouseServer
import WarehouseTestSupport

/// A hostile client costs a bounded slice of the server: oversized or slow requests are refused
/// promptly, and `/healthz` keeps answering meanwhile.
@Suite("Dashboard: request limits", .blockingWork)
struct DashboardRequestLimitsTests {
    /// Short enough for a test, far longer than a request from 127.0.0.1 takes.
    static let shortTimeouts = HTTPLimits(requestTimeout: .seconds(1), idleTimeout: .seconds(1))
    /// "Promptly": generous for a busy two-core machine; an unbounded parser takes far longer.
    static let prompt = Duration.seconds(3)
    /// A request that reaches the database: the suite runs many at once, so allow more.
    static let answered = Duration.seconds(10)

    static func head(_ target: String = "/healthz", method: String = "GET", extra: [String] = []) -> String {
        ([ "\(method) \(target) HTTP/1.1", "Host: 127.0.0.1" ] + extra).joined(separator: "\r\n") + "\r\n"
    }

    /// Sends `request` on a connection of its own; returns what the server did and how long it took.
    static func send(_ request: [UInt8], port: Int) async throws -> (outcome: RawHTTPConnection.Outcome, elapsed: Duration) {
        try await DashboardTestServer.offload {
            let started = ContinuousClock.now
            let connection = try RawHTTPConnection(port: port)
            connection.send(request, until: started + Self.prompt)
            let outcome = connection.outcome(within: Self.prompt)
            return (outcome, ContinuousClock.now - started)
        }
    }

    static func healthz(port: Int) async throws -> RawHTTPConnection.Outcome {
        try await DashboardTestServer.offload { try RawHTTPConnection.get(port: port, "/healthz", within: Self.answered) }
    }

    @Test("oversized request lines, headers and bodies are refused at once, with their status")
    func oversized() async throws {
        try await DashboardTestServer.with(orders: nil) { server in
            let megabyteHeader = Self.head(extra: ["X-Big: " + String(repeating: "a", count: 1 << 20)]) + "\r\n"
            let bigHeader = Self.head(extra: ["X-Big: " + String(repeating: "a", count: 64 * 1_024)]) + "\r\n"
            let manyHeaders = Self.head(extra: (1...101).map { "X-Header-\($0): 1" }) + "\r\n"
            let longTarget = Self.head("/?q=" + String(repeating: "a", count: 9 * 1_024)) + "\r\n"
            let bigBody = Self.head("/login", method: "POST", extra: [
                "Content-Type: application/x-www-form-urlencoded", "Content-Length: \(64 * 1_024 + 1)",
            ]) + "\r\n" + "token=" + String(repeating: "a", count: 64 * 1_024 - 5)
            let chunked = Self.head("/login", method: "POST", extra: ["Transfer-Encoding: chunked"]) + "\r\n5\r\ntoken\r\n0\r\n\r\n"
            let cases: [(String, String, Int)] = [
                ("1 MB header", megabyteHeader, 431), ("64 KB header", bigHeader, 431), ("101 headers", manyHeaders, 431),
                ("9 KB request line", longTarget, 414), ("64 KB + 1 body", bigBody, 413), ("chunked body", chunked, 411),
            ]
            for (name, request, status) in cases {
                let (outcome, elapsed) = try await Self.send(Array(request.utf8), port: server.port)
                #expect(outcome.status == status, "\(name): \(outcome)")
                #expect(elapsed < Self.prompt, "\(name) took \(elapsed)")
                if case .response(_, let head) = outcome {
                    #expect(head.lowercased().contains("connection: close"), "\(name)")
                    #expect(head.contains("Content-Security-Policy"), "\(name)")
                }
                #expect(try await Self.healthz(port: server.port).status == 200, "after \(name)")
            }
            // Just inside every limit (100 headers with Host, under 16 KiB) is still served.
            let largest = Self.head(extra: (1...98).map { "X-Header-\($0): 1" } + ["X-Fill: " + String(repeating: "a", count: 12 * 1_024)]) + "\r\n"
            let port = server.port
            #expect(try await DashboardTestServer.offload { () -> Int? in
                let connection = try RawHTTPConnection(port: port)
                connection.send(Array(largest.utf8), until: .now + Self.answered)
                return connection.outcome(within: Self.answered).status
            } == 200)
        }
    }

    @Test("a request sent a byte at a time is cut off at the deadline with 408")
    func slowDrip() async throws {
        try await DashboardTestServer.with(orders: nil, limits: Self.shortTimeouts) { server in
            let port = server.port
            let outcome = try await DashboardTestServer.offload {
                let started = ContinuousClock.now
                let connection = try RawHTTPConnection(port: port)
                // A header that never ends, 20 bytes a second: well within any size limit.
                let endless = Array((Self.head() + "X-Slow: " + String(repeating: "a", count: 1_000)).utf8)
                connection.drip(endless, interval: .milliseconds(50), until: started + .seconds(10))
                return (connection.outcome(within: Self.prompt), ContinuousClock.now - started)
            }
            #expect(outcome.0.status == 408, "\(outcome.0)")
            #expect(outcome.1 >= .seconds(1) && outcome.1 < .seconds(1) + Self.prompt, "took \(outcome.1)")
        }
    }

    @Test("a connection that sends nothing is closed after the idle timeout")
    func idle() async throws {
        try await DashboardTestServer.with(orders: nil, limits: Self.shortTimeouts) { server in
            let port = server.port
            let closed = try await DashboardTestServer.offload {
                try RawHTTPConnection(port: port).closes(within: .seconds(1) + Self.prompt)
            }
            #expect(closed)
        }
    }

    @Test("/healthz keeps answering while clients send huge and endless headers")
    func healthUnderAttack() async throws {
        try await DashboardTestServer.with(orders: nil, limits: HTTPLimits(requestTimeout: .seconds(3))) { server in
            let port = server.port
            let huge = Array((Self.head() + "X-Big: " + String(repeating: "a", count: 1 << 20) + "\r\n\r\n").utf8)
            let endless = Array((Self.head() + "X-Slow: " + String(repeating: "a", count: 1_000)).utf8)
            let attackers = (0..<4).map { index in
                Task {
                    try await DashboardTestServer.offload {
                        let connection = try RawHTTPConnection(port: port)
                        if index < 2 {
                            connection.send(huge, until: .now + .seconds(10))
                        } else {
                            connection.drip(endless, interval: .milliseconds(20), until: .now + .seconds(10))
                        }
                        return connection.outcome(within: .seconds(10)).status
                    }
                }
            }
            for _ in 0..<5 {
                let started = ContinuousClock.now
                let outcome = try await Self.healthz(port: port)
                #expect(outcome.status == 200, "\(outcome)")
                #expect(ContinuousClock.now - started < Self.answered)
            }
            var statuses: [Int?] = []
            for attacker in attackers { statuses.append(try await attacker.value) }
            #expect(statuses == [431, 431, 408, 408])
        }
    }

    @Test("keep-alive: two requests on one connection are both answered")
    func keepAlive() async throws {
        try await DashboardTestServer.with(orders: nil) { server in
            let port = server.port
            let text = try await DashboardTestServer.offload {
                let connection = try RawHTTPConnection(port: port)
                let requests = Self.head() + "\r\n" + Self.head() + "Connection: close\r\n\r\n"
                connection.send(Array(requests.utf8), until: .now + Self.prompt)
                _ = connection.closes(within: Self.answered)
                return connection.receivedText
            }
            #expect(text.components(separatedBy: "HTTP/1.1 200").count == 3, "\(text)")
        }
    }
}
