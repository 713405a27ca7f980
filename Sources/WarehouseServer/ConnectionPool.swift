import Dispatch
import Synchronization
import WarehouseKit

/// A few libpq connections shared by the request handlers.
///
/// A libpq connection serves one query at a time, so each request borrows a connection for the
/// whole of its database work and gives it back afterwards; at most `size` requests use the
/// database at once and the rest wait (up to `waitTimeout`, then fail as busy). Connections are
/// opened lazily and replaced when the server drops them.
///
/// libpq blocks its thread while PostgreSQL works, so the work runs on a Dispatch queue and the
/// async caller suspends meanwhile: Swift's cooperative pool (one thread per core, two here) keeps
/// serving sockets instead of being stalled by a slow query.
final class ConnectionPool: Sendable {
    /// The pool could not hand out a connection in time: every connection is busy.
    struct Busy: Error, CustomStringConvertible {
        var description: String { "every database connection is busy; try again shortly" }
    }

    let size: Int
    let waitTimeout: Double
    private let connect: @Sendable () throws -> PostgresConnection
    private let idle = Mutex<[PostgresConnection]>([])
    private let slots: DispatchSemaphore
    private let queue = DispatchQueue(label: "warehouse.dashboard.database", attributes: .concurrent)

    /// - Parameter connect: opens one connection (already set up for read-only use).
    init(size: Int, waitTimeout: Double = 10, connect: @escaping @Sendable () throws -> PostgresConnection) {
        precondition(size >= 1, "a pool needs at least one connection")
        self.size = size
        self.waitTimeout = waitTimeout
        self.connect = connect
        slots = DispatchSemaphore(value: size)
    }

    /// Runs `body` with a connection of its own, off the cooperative thread pool.
    /// - Throws: ``Busy``, ``PostgresError`` from connecting or from `body`, or `body`'s error.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.borrow(body) })
            }
        }
    }

    /// Closes the idle connections (those in use close when their request returns them and the
    /// pool is gone).
    func closeIdle() {
        _ = idle.withLock { connections in
            let closing = connections
            connections.removeAll()
            return closing
        }
    }

    private func borrow<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        guard slots.wait(timeout: .now() + waitTimeout) == .success else { throw Busy() }
        defer { slots.signal() }
        var reused = idle.withLock { $0.popLast() }
        while true {
            let connection = try reused ?? connect()
            do {
                let value = try body(connection)
                giveBack(connection)
                return value
            } catch {
                // A reused connection whose server went away (restart, failover, idle timeout)
                // fails on first use; the work is reads only, so it is safe to run once more on a
                // fresh connection rather than show the user an error for it.
                if reused != nil, !connection.isHealthy {
                    reused = nil
                    continue
                }
                giveBack(connection)
                throw error
            }
        }
    }

    private func giveBack(_ connection: PostgresConnection) {
        guard connection.isHealthy else { return }
        idle.withLock { $0.append(connection) }
    }
}
