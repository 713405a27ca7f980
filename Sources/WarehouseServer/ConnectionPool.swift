import Dispatch
import Synchronization
import WarehouseKit

/// A few libpq connections shared by the request handlers.
///
/// A libpq connection serves one query at a time, so the pool has `size` workers, each owning one
/// connection (opened on first use, replaced when the server drops it) and a serial queue of its
/// own. A request's database work runs as one job on an idle worker; when all are busy the job
/// waits in a Mutex-guarded FIFO, and a job that waited longer than `waitTimeout` fails as
/// ``Busy`` instead of adding to a backlog.
///
/// Why serial queues: libpq blocks its thread while PostgreSQL works. On Linux, Swift's task
/// executor and Dispatch's global (and created concurrent) queues share one small thread pool, so
/// blocking those threads stalls every async task, the HTTP server's included, until the query
/// ends. A created *serial* queue is "overcommit": Dispatch gives it a thread of its own.
final class ConnectionPool: Sendable {
    /// The pool could not run the work in time: every connection was busy.
    struct Busy: Error, CustomStringConvertible {
        var description: String { "every database connection is busy; try again shortly" }
    }

    /// One connection and the queue it is used on; its `connection` is touched only there.
    private final class Worker: @unchecked Sendable {
        let queue: DispatchQueue
        var connection: PostgresConnection?

        init(index: Int) {
            queue = DispatchQueue(label: "warehouse.dashboard.database.\(index)")
        }
    }

    private typealias Job = @Sendable (Worker) -> Void

    private struct State {
        var idle: [Worker]
        var waiting: [Job] = []
    }

    let size: Int
    let waitTimeout: Duration
    private let connect: @Sendable () throws -> PostgresConnection
    private let state: Mutex<State>
    private let workers: [Worker]

    /// - Parameter connect: opens one connection (already set up for read-only use).
    init(size: Int, waitTimeout: Duration = .seconds(10), connect: @escaping @Sendable () throws -> PostgresConnection) {
        precondition(size >= 1, "a pool needs at least one connection")
        self.size = size
        self.waitTimeout = waitTimeout
        self.connect = connect
        workers = (0..<size).map(Worker.init)
        state = Mutex(State(idle: workers))
    }

    /// Runs `body` with a connection of its own, on that connection's thread.
    /// - Throws: ``Busy``, ``PostgresError`` from connecting or from `body`, or `body`'s error.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let queued = ContinuousClock.now
            let waitTimeout = self.waitTimeout
            submit { worker in
                guard ContinuousClock.now - queued <= waitTimeout else {
                    continuation.resume(throwing: Busy())
                    return
                }
                continuation.resume(with: Result { try self.run(body, on: worker) })
            }
        }
    }

    /// Closes the connections of idle workers (busy ones keep theirs until the pool is gone).
    func closeIdle() {
        for worker in state.withLock({ $0.idle }) {
            worker.queue.async { worker.connection = nil }
        }
    }

    private func submit(_ job: @escaping Job) {
        let worker: Worker? = state.withLock { state in
            if let worker = state.idle.popLast() { return worker }
            state.waiting.append(job)
            return nil
        }
        guard let worker else { return }
        worker.queue.async {
            var next: Job? = job
            // Keep this thread while jobs wait: no hand-off between workers needed.
            while let current = next {
                current(worker)
                next = self.state.withLock { state in
                    if state.waiting.isEmpty {
                        state.idle.append(worker)
                        return nil
                    }
                    return state.waiting.removeFirst()
                }
            }
        }
    }

    /// Runs on `worker`'s queue.
    private func run<T>(_ body: (PostgresConnection) throws -> T, on worker: Worker) throws -> T {
        var isReused = worker.connection != nil
        while true {
            let connection = try worker.connection ?? connect()
            worker.connection = connection
            do {
                return try body(connection)
            } catch {
                guard !connection.isHealthy else { throw error }
                worker.connection = nil
                // A reused connection whose server went away (restart, failover, idle timeout)
                // fails on first use; the work is reads only, so it runs once more on a fresh one
                // rather than show the user an error for it.
                guard isReused else { throw error }
                isReused = false
            }
        }
    }

    /// For `/metrics`: connections busy with a request and requests waiting for one, right now.
    var usage: (busy: Int, waiting: Int) { state.withLock { (size - $0.idle.count, $0.waiting.count) } }
}
