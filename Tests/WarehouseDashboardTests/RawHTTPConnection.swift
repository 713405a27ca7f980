import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A raw TCP connection to 127.0.0.1, for requests no well-behaved client sends: huge headers,
/// a byte at a time, or nothing at all. Every wait is a `poll` bounded by a deadline, so a server
/// that never answers fails the test instead of hanging it. Blocking: call it from
/// ``DashboardTestServer/offload(_:)``.
final class RawHTTPConnection {
    /// What the server did with the request.
    enum Outcome: Equatable, CustomStringConvertible {
        /// It answered: the status code and the response head (status line and headers).
        case response(status: Int, head: String)
        /// It closed the connection without answering.
        case closed
        /// Nothing happened before the deadline.
        case timedOut

        var status: Int? {
            if case .response(let status, _) = self { return status }
            return nil
        }

        var description: String {
            switch self {
            case .response(let status, _): return "response \(status)"
            case .closed: return "closed without a response"
            case .timedOut: return "no answer before the deadline"
            }
        }
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    private let socket: Int32
    private var received = [UInt8]()

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Glibc.close(socket)
            throw Failure(description: "cannot connect to 127.0.0.1:\(port)")
        }
    }

    deinit { Glibc.close(socket) }

    /// Sends `bytes`, stopping early when the server answers or hangs up (it may refuse a request
    /// before reading all of it), or at `deadline`. Returns how many bytes were sent.
    @discardableResult
    func send(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) -> Int {
        var sent = 0
        while sent < bytes.count, ContinuousClock.now < deadline {
            let events = wait(for: Int16(POLLIN | POLLOUT), upTo: min(.milliseconds(100), deadline - .now))
            if events & Int16(POLLIN | POLLHUP | POLLERR) != 0 { break }
            guard events & Int16(POLLOUT) != 0 else { continue }
            let count = bytes.withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress! + sent, min(65_536, bytes.count - sent), Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK { continue }
                break
            }
            sent += count
        }
        return sent
    }

    /// Sends `bytes` one at a time, `interval` apart, until the server answers or hangs up, the
    /// bytes run out, or `deadline`. Returns how many bytes were sent.
    @discardableResult
    func drip(_ bytes: [UInt8], interval: Duration, until deadline: ContinuousClock.Instant) -> Int {
        var sent = 0
        while sent < bytes.count, ContinuousClock.now < deadline {
            // Waiting for an answer is the pause between bytes.
            if wait(for: Int16(POLLIN), upTo: interval) != 0 { break }
            let count = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress! + sent, 1, Int32(MSG_NOSIGNAL)) }
            guard count == 1 else { break }
            sent += 1
        }
        return sent
    }

    /// Waits up to `timeout` for the server's answer: the head of its response, or its hang-up.
    func outcome(within timeout: Duration) -> Outcome {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let head = responseHead() { return head }
            if wait(for: Int16(POLLIN), upTo: deadline - .now) == 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = recv(socket, &chunk, chunk.count, Int32(MSG_DONTWAIT))
            if count > 0 {
                received += chunk[0..<count]
            } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
                return responseHead() ?? .closed
            }
        }
        return responseHead() ?? .timedOut
    }

    /// Whether the server closes the connection (after any response) within `timeout`.
    func closes(within timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if wait(for: Int16(POLLIN), upTo: deadline - .now) == 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = recv(socket, &chunk, chunk.count, Int32(MSG_DONTWAIT))
            if count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK) { return true }
            if count > 0 { received += chunk[0..<count] }
        }
        return false
    }

    /// Everything received so far, as text.
    var receivedText: String { String(decoding: received, as: UTF8.self) }

    private func responseHead() -> Outcome? {
        let text = receivedText
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        let head = String(text[..<end.lowerBound])
        let parts = head.prefix { $0 != "\r" }.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return .response(status: 0, head: head) }
        return .response(status: status, head: head)
    }

    /// The poll events that arrived within `timeout` (0: none).
    private func wait(for events: Int16, upTo timeout: Duration) -> Int16 {
        var descriptor = pollfd(fd: socket, events: events, revents: 0)
        let milliseconds = max(0, Int32(timeout.components.seconds * 1_000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        return poll(&descriptor, 1, milliseconds) > 0 ? descriptor.revents : 0
    }

    /// One `GET` with `Connection: close`, answered or not within `timeout`.
    static func get(port: Int, _ target: String, within timeout: Duration) throws -> Outcome {
        let connection = try RawHTTPConnection(port: port)
        let request = "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        connection.send(Array(request.utf8), until: .now + timeout)
        return connection.outcome(within: timeout)
    }
}
