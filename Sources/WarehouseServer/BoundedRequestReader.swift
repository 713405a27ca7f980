import Foundation
import FlyingFox
import FlyingSocks

/// Reads HTTP/1.1 requests from one connection within ``HTTPLimits``.
///
/// FlyingFox's own reader has no limits, and it finds each line's end by comparing the whole line
/// read so far after every byte, so a header line of n bytes costs n²/2 steps: 1.8 s of a core for
/// 64 KB, minutes for 1 MB. This one scans each byte once, holds at most the limits' worth of a
/// request, and gives up at the deadline. Bytes after a request (a pipelined next one) are kept.
final class BoundedRequestReader {
    private let socket: AsyncSocket
    private let limits: HTTPLimits
    private var buffer: [UInt8] = []
    /// Where the unread part of `buffer` begins.
    private var start = 0

    init(socket: AsyncSocket, limits: HTTPLimits) {
        self.socket = socket
        self.limits = limits
    }

    /// The next request, or nil when the client closed or stayed idle for ``HTTPLimits/idleTimeout``
    /// before sending one.
    /// - Throws: ``RequestRejection`` for a request over a limit, late, or malformed.
    func next() async throws -> HTTPRequest? {
        compact()
        if buffer.isEmpty {
            do {
                guard try await readMore(until: .now + limits.idleTimeout) else { return nil }
            } catch is RequestRejection {
                return nil
            }
        }
        let deadline = ContinuousClock.now + limits.requestTimeout
        guard let requestLine = try await line(within: limits.requestLineBytes, deadline: deadline,
                                               tooLong: .requestLineTooLong(limits.requestLineBytes)) else { return nil }
        let (method, target, version) = try Self.parseRequestLine(requestLine)

        var headers = HTTPHeaders()
        var headerBytes = 0
        var headerCount = 0
        while true {
            let remaining = max(0, limits.headerBytes - headerBytes)
            guard let field = try await line(within: remaining, deadline: deadline,
                                             tooLong: .headersTooLarge(limits.headerBytes)) else { return nil }
            if field.isEmpty { break }
            headerBytes += field.count + 2
            headerCount += 1
            guard headerCount <= limits.headerCount else { throw RequestRejection.tooManyHeaders(limits.headerCount) }
            let (name, value) = try Self.parseField(field)
            headers.addValue(value, for: name)
        }

        let body = try await readBody(headers: headers, deadline: deadline)
        return HTTPRequest(method: method, version: version, target: target, headers: headers,
                           body: HTTPBodySequence(data: body))
    }

    /// One line without its CRLF (or bare LF); nil when the client closed first.
    private func line(within limit: Int, deadline: ContinuousClock.Instant, tooLong: RequestRejection) async throws -> ArraySlice<UInt8>? {
        var scanned = start
        while true {
            if let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
                var content = buffer[start..<newline]
                if content.last == UInt8(ascii: "\r") { content = content.dropLast() }
                guard content.count <= limit else { throw tooLong }
                start = newline + 1
                return content
            }
            scanned = buffer.count
            // The CR of a CRLF may already be here, so one byte of grace before refusing.
            guard buffer.count - start <= limit + 1 else { throw tooLong }
            guard try await readMore(until: deadline) else { return nil }
        }
    }

    private func readBody(headers: HTTPHeaders, deadline: ContinuousClock.Instant) async throws -> Data {
        if headers[.transferEncoding] != nil { throw RequestRejection.lengthRequired }
        let lengths = Set(headers.values(for: .contentLength).flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) })
        guard let text = lengths.first else { return Data() }
        guard lengths.count == 1, !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }) else {
            throw RequestRejection.malformed("a bad or conflicting Content-Length")
        }
        guard text.count <= 10, let length = Int(text), length <= limits.bodyBytes else {
            throw RequestRejection.bodyTooLarge(limits.bodyBytes)
        }
        while buffer.count - start < length {
            guard try await readMore(until: deadline) else { throw RequestRejection.malformed("the body ended early") }
        }
        defer { start += length }
        return Data(buffer[start..<(start + length)])
    }

    /// Appends what the client sent next; false when it closed the connection.
    /// - Throws: ``RequestRejection/timedOut`` at `deadline`.
    private func readMore(until deadline: ContinuousClock.Instant) async throws -> Bool {
        let socket = self.socket
        do {
            // Bytes already waiting are read at once; only an empty socket needs the timed wait.
            let chunk: [UInt8]
            do {
                chunk = try socket.socket.read(atMost: 16_384)
            } catch SocketError.blocked {
                chunk = try await Deadline.run(until: deadline) { try await socket.read(atMost: 16_384) }
            }
            buffer.append(contentsOf: chunk)
            return true
        } catch is Deadline.Passed {
            throw RequestRejection.timedOut
        } catch SocketError.disconnected {
            return false
        }
    }

    private func compact() {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
    }

    static func parseRequestLine(_ line: ArraySlice<UInt8>) throws -> (HTTPMethod, HTTPRequest.Target, HTTPVersion) {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, let method = String(bytes: parts[0], encoding: .utf8),
              let target = String(bytes: parts[1], encoding: .utf8), let version = String(bytes: parts[2], encoding: .utf8),
              !method.isEmpty, method.utf8.allSatisfy({ (65...90).contains($0) }), target.hasPrefix("/") else {
            throw RequestRejection.malformed("the request line")
        }
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else { throw RequestRejection.malformed("the HTTP version") }
        let pieces = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return (HTTPMethod(method), HTTPRequest.Target(path: String(pieces[0]), query: pieces.count > 1 ? String(pieces[1]) : ""),
                HTTPVersion(version))
    }

    /// `Name: value`. Folded lines (starting with a space) and names with spaces are refused, as
    /// RFC 9112 asks: they are how requests are smuggled past proxies.
    static func parseField(_ line: ArraySlice<UInt8>) throws -> (HTTPHeader, String) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
              line[line.startIndex..<colon].allSatisfy({ $0 > 32 && $0 < 127 }) else {
            throw RequestRejection.malformed("a header line")
        }
        let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
        let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        return (HTTPHeader(name), value)
    }
}
