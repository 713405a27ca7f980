import Foundation
import FlyingFox

/// Builders for the responses the dashboard sends, each with its content type and charset.
enum DashboardResponse {
    static func html(_ body: String, status: HTTPStatusCode = .ok) -> HTTPResponse {
        HTTPResponse(statusCode: status, headers: [.contentType: "text/html; charset=utf-8"], body: Data(body.utf8))
    }

    static func json(_ value: JSONValue, status: HTTPStatusCode = .ok) -> HTTPResponse {
        HTTPResponse(statusCode: status, headers: [.contentType: "application/json; charset=utf-8"],
                     body: Data(value.document.utf8))
    }

    /// A download: `fileName` is built from validated parts only (see ``CSVExport/fileName(for:)``).
    static func csv(_ body: String, fileName: String) -> HTTPResponse {
        HTTPResponse(statusCode: .ok, headers: [
            .contentType: "text/csv; charset=utf-8; header=present",
            .contentDisposition: "attachment; filename=\"\(fileName)\"",
        ], body: Data(body.utf8))
    }

    /// `303 See Other` to a path of this server (never a URL taken from the request).
    static func redirect(to path: String, setCookie: String? = nil) -> HTTPResponse {
        var headers: HTTPHeaders = [.location: path]
        if let setCookie { headers[.setCookie] = setCookie }
        return HTTPResponse(statusCode: .seeOther, headers: headers)
    }

    /// An error in the form the client asked for: JSON under `/api/` and for `/healthz`, else a page.
    static func error(_ status: HTTPStatusCode, message: String, path: String) -> HTTPResponse {
        if path.hasPrefix("/api/") || path == "/healthz" {
            return json(.object([("error", .string(message)), ("status", .int(status.code))]), status: status)
        }
        if path.hasSuffix(".csv") {
            return HTTPResponse(statusCode: status, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: Data((message + "\n").utf8))
        }
        return html(PageLayout.message(title: status.phrase, text: message, status: status.code), status: status)
    }
}
