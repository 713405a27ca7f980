import Synchronization

/// A few database sessions shared by concurrent requests (the dashboard's).
///
/// Each ``DatabaseSession`` is one connection on a thread of its own. A request takes an idle
/// session; when all are busy it waits in a bounded FIFO. Two limits keep a slow database from
/// turning into a backlog that outlives the requests that made it:
/// - a request that waits longer than `waitTimeout` fails with ``Busy`` when that time is up,
///   whether or not a session frees up later;
/// - when `maximumWaiting` requests already wait, the next one fails with ``Busy`` at once.
public final class ConnectionPool: Sendable {
    /// Every session stayed busy for the whole wait, or too many requests were waiting already.
    public struct Busy: Error, CustomStringConvertible {
        public var description: String { "every database connection is busy; try again shortly" }
    }

    /// How many sessions are in use and how many requests wait (for metrics).
    public struct Usage: Sendable, Equatable {
        public var size: Int
        public var inUse: Int
        public var waiting: Int

        public init(size: Int, inUse: Int, waiting: Int) {
            self.size = size
            self.inUse = inUse
            self.waiting = waiting
        }
    }

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<DatabaseSession, any Error>
    }

    private struct State {
        var idle: [DatabaseSession]
        var waiting: [Waiter] = []
        var nextWaiterID = 0
    }

    public let size: Int
    public let waitTimeout: Duration
    public let maximumWaiting: Int
    private let state: Mutex<State>

    /// - Parameter connect: opens one connection (already set up for the pool's use, e.g. read-only).
    public init(size: Int, waitTimeout: Duration = .seconds(10), maximumWaiting: Int = 64,
                connect: @escaping @Sendable () throws -> PostgresConnection) {
        precondition(size >= 1, "a pool needs at least one connection")
        self.size = size
        self.waitTimeout = waitTimeout
        self.maximumWaiting = maximumWaiting
        let sessions = (0..<size).map { DatabaseSession(name: "wh-pool-\($0)", connect: connect) }
        state = Mutex(State(idle: sessions))
    }

    public var usage: Usage {
        state.withLock { Usage(size: size, inUse: size - $0.idle.count, waiting: $0.waiting.count) }
    }

    /// Runs `body` with a connection of its own, on that connection's thread.
    ///
    /// A reused connection whose server went away (restart, failover, idle timeout) fails on
    /// first use; the body runs once more on a fresh connection, so pass only work that may run
    /// twice (reads).
    /// - Throws: ``Busy``, ``PostgresError`` from connecting or from `body`, or `body`'s error.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        let session = try await checkOut()
        defer { checkIn(session) }
        do {
            return try await session.run(body)
        } catch {
            guard await !session.isOpenAndHealthy() else { throw error }
            await session.reset()
            return try await session.run(body)
        }
    }

    /// Closes the connections of idle sessions; busy ones keep theirs.
    public func closeIdle() async {
        for session in state.withLock({ $0.idle }) { await session.reset() }
    }

    private func checkOut() async throws -> DatabaseSession {
        enum Claim { case session(DatabaseSession), full, wait(Int) }
        var timeout: Task<Void, Never>?
        defer { timeout?.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            // Claim or queue under one lock, and start the clock only once queued, so a short
            // timeout can never fire before its waiter is there to fail.
            let claim: Claim = state.withLock { state in
                if let session = state.idle.popLast() { return .session(session) }
                if state.waiting.count >= maximumWaiting { return .full }
                state.nextWaiterID += 1
                state.waiting.append(Waiter(id: state.nextWaiterID, continuation: continuation))
                return .wait(state.nextWaiterID)
            }
            switch claim {
            case .session(let session): continuation.resume(returning: session)
            case .full: continuation.resume(throwing: Busy())
            case .wait(let id):
                timeout = Task { [weak self, waitTimeout] in
                    try? await Task.sleep(for: waitTimeout)
                    if !Task.isCancelled { self?.expire(id) }
                }
            }
        }
    }

    /// A waiter still in the queue when its time is up fails; one already served is gone from it.
    private func expire(_ id: Int) {
        let expired = state.withLock { state -> Waiter? in
            guard let index = state.waiting.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiting.remove(at: index)
        }
        expired?.continuation.resume(throwing: Busy())
    }

    private func checkIn(_ session: DatabaseSession) {
        let next = state.withLock { state -> Waiter? in
            if state.waiting.isEmpty {
                state.idle.append(session)
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.continuation.resume(returning: session)
    }
}
