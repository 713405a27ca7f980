/// Runs work that waits on a client (a socket read or write) with a deadline.
enum Deadline {
    struct Passed: Error {}

    /// The result of `body`, or ``Passed`` once `deadline` has come, `body` then being cancelled
    /// (FlyingSocks' waits end at cancellation).
    static func run<T: Sendable>(
        until deadline: ContinuousClock.Instant, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw Passed() }
            return value
        }
    }
}
