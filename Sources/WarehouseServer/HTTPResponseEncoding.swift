import Foundation
import FlyingFox

/// A response as bytes on the wire: status line, headers, body.
enum HTTPResponseEncoding {
    /// Header values never carry CR or LF (they would start a header or a response of their own).
    /// `Content-Length` is the body's, also for HEAD, which sends no body.
    static func encode(_ response: HTTPResponse, body: Data, keepAlive: Bool, includeBody: Bool) -> Data {
        var lines = ["HTTP/1.1 \(response.statusCode.code) \(clean(response.statusCode.phrase))"]
        for name in response.headers.keys.sorted(by: { $0.rawValue < $1.rawValue })
        where name != .contentLength && name != .connection && name != .transferEncoding {
            for value in response.headers.values(for: name) { lines.append("\(clean(name.rawValue)): \(clean(value))") }
        }
        lines.append("Content-Length: \(body.count)")
        lines.append("Connection: \(keepAlive ? "keep-alive" : "close")")
        var data = Data((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
        if includeBody { data.append(body) }
        return data
    }

    private static func clean(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0 != "\r" && $0 != "\n" && $0 != "\0" })
    }
}
