public import Testing

/// Runs a suite's tests on the suite's blocking threads instead of Swift's cooperative pool.
///
/// Most tests call libpq synchronously: a query, a load, CREATE DATABASE waiting its turn. Run
/// on the cooperative pool (one thread per core, two here), each such call stalls every task
/// scheduled there, the in-process servers other tests talk to included. With this trait, the
/// test's body and the tasks it starts prefer ``TestThreads``, which exist for blocking.
public struct BlockingWorkTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        try await withTaskExecutorPreference(TestThreads.shared) { try await function() }
    }
}

extension Trait where Self == BlockingWorkTrait {
    /// The suite blocks on the database or on processes: keep it off the cooperative pool.
    public static var blockingWork: Self { BlockingWorkTrait() }
}
