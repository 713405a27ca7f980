import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP response as the tests see it: status, headers (names lower-cased) and body text.
struct HTTPTestResponse: Sendable {
    let status: Int
    let headers: [String: String]
    let body: String

    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// A deliberately plain HTTP/1.1 client over a POSIX socket, for tests that must see exactly
/// what the server sends: no cookie jar, no redirect following, any header or method.
///
/// The server under test runs in this process on Swift's task threads (two here), so the
/// blocking socket calls run elsewhere (``DashboardTestServer/offload(_:)``): blocking a task
/// thread while waiting for the server could starve the server itself.
enum DashboardHTTPClient {
    struct Failure: Error, CustomStringConvertible { let description: String }

    static func request(
        port: Int, _ method: String = "GET", _ target: String, headers: [String: String] = [:], body: String? = nil
    ) async throws -> HTTPTestResponse {
        try await DashboardTestServer.offload {
            try blockingRequest(port: port, method: method, target: target, headers: headers, body: body)
        }
    }

    static func get(port: Int, _ target: String, headers: [String: String] = [:]) async throws -> HTTPTestResponse {
        try await request(port: port, "GET", target, headers: headers)
    }

    private static func blockingRequest(
        port: Int, method: String, target: String, headers: [String: String], body: String?
    ) throws -> HTTPTestResponse {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "cannot connect to 127.0.0.1:\(port)") }

        var lines = ["\(method) \(target) HTTP/1.1", "Host: 127.0.0.1:\(port)", "Connection: close"]
        for (name, value) in headers { lines.append("\(name): \(value)") }
        let bodyData = Data((body ?? "").utf8)
        if body != nil { lines.append("Content-Length: \(bodyData.count)") }
        let request = Data((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) + bodyData
        try request.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                let count = send(socket, buffer.baseAddress! + sent, buffer.count - sent, 0)
                guard count > 0 else { throw Failure(description: "send() failed") }
                sent += count
            }
        }

        var received = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(socket, &chunk, chunk.count, 0)
            if count < 0 { throw Failure(description: "recv() failed or timed out") }
            if count == 0 { break }
            received.append(contentsOf: chunk[0..<count])
            if let response = try parse(received), response.isComplete { return response.value }
        }
        guard let response = try parse(received) else { throw Failure(description: "incomplete response") }
        return response.value
    }

    /// The response once its headers have arrived; complete when Content-Length bytes of body have.
    private static func parse(_ data: Data) throws -> (value: HTTPTestResponse, isComplete: Bool)? {
        guard let end = data.range(of: Data("\r\n\r\n".utf8)) else { return nil }
        guard let head = String(data: data[..<end.lowerBound], encoding: .utf8) else {
            throw Failure(description: "response head is not UTF-8")
        }
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line") }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { $0 + ", " + value } ?? value
        }
        let body = data[end.upperBound...]
        let expected = headers["content-length"].flatMap { Int($0) }
        let response = HTTPTestResponse(status: status, headers: headers, body: String(decoding: body, as: UTF8.self))
        return (response, expected.map { body.count >= $0 } ?? false)
    }
}
