import Foundation
import Testing
@testable import WarehouseServer
import WarehouseTestSupport

/// Lines the server logs, collected for a test to read.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

/// The access log: one line per request, whatever the request holds.
@Suite("Dashboard: access log", .blockingWork)
struct DashboardLogTests {
    @Test("control characters in a request path are escaped: no forged lines, no terminal escapes")
    func forgedLines() async throws {
        let log = LogLines()
        try await DashboardTestServer.with(orders: nil, log: log.append) { server in
            // Decoded, this path holds a line break, a carriage return, ESC, DEL and a C1 control.
            let response = try await server.get("/x%0AGET%20/admin%20200%201%20ms%0D%1B%5B31mred%7F%C2%9B")
            #expect(response.status == 404)
            let line = try #require(log.all.first { $0.contains("/x") })
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "\(line)")
            #expect(line.contains(#"/x\nGET /admin 200 1 ms\r\u{1B}[31mred\u{7F}\u{9B} 404"#), "\(line)")
        }
    }

    @Test("escaping: C0, DEL, C1 and backslash; other text unchanged")
    func escaping() {
        #expect(LogText.escaped("a\nb\rc\td\\e\u{1B}f\u{7F}g\u{85}h") == #"a\nb\rc\td\\e\u{1B}f\u{7F}g\u{85}h"#)
        #expect(LogText.escaped("/api/reports/top-customers Zoë ✓") == "/api/reports/top-customers Zoë ✓")
    }
}
