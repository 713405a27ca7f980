public import Foundation
import WarehouseKit

/// Test fixtures and the suite-owned PostgreSQL server (see ``TestServer`` and ``TestDatabase``).
public enum TestSupport {
    /// The package's root folder, found from this file's place in `Tests/Support/`.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A new empty folder under the system's temporary folder (`/tmp`, which any account may
    /// enter, so a cluster created there by root can run as `postgres`).
    public static func temporaryDirectory(_ prefix: String = "warehouse-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(getpid())-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A unique, SQL-safe name: process id, a counter and a random suffix, so parallel tests and
    /// parallel test processes on one server never collide.
    public static func uniqueName(_ prefix: String) -> String {
        let number = counter.withLock { value -> Int in
            value += 1
            return value
        }
        let random = UInt32.random(in: 0..<UInt32.max)
        return "\(prefix)_\(getpid())_\(number)_\(String(random, radix: 36))"
    }

    private static let counter = Locked(0)
}
