import WarehouseKit

/// Threads for the suite's blocking work (libpq calls, waiting on a process), so it never
/// occupies Swift's cooperative pool, where the servers under test run. Many, because tests
/// run in parallel and each may block one for seconds.
public enum TestThreads {
    static let shared = BlockingThreads(count: 16, name: "wh-tests")

    /// Runs `body` on one of the suite's blocking threads.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await shared.run(body)
    }
}
