import Dispatch
import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// The pool and sessions async code reaches PostgreSQL through, against a real server.
@Suite(.blockingWork) struct ConnectionPoolTests {
    /// A gate a body blocks on (on its session's own thread) until the test opens it.
    final class Gate: Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        private let entered = DispatchSemaphore(value: 0)
        func pass() { entered.signal(); semaphore.wait() }
        func waitUntilEntered() async throws { try await TestThreads.run { [entered] in entered.wait() } }
        func open() { semaphore.signal() }
    }

    @Test func aSessionKeepsOneConnectionOnItsOwnThreadUntilReset() async throws {
        let database = try await TestThreads.run { try TestDatabase.fresh(migrated: false) }
        let session = DatabaseSession(name: "wh-test-session") { try database.connect() }
        // Every body runs on the session's one thread (the connection checks that on each use).
        let threads = try await [session.run { _ in UInt(bitPattern: Int(pthread_self())) }, session.run { _ in UInt(bitPattern: Int(pthread_self())) }]
        #expect(threads[0] == threads[1])
        let first = try await session.run { try $0.execute("select pg_backend_pid() as pid").single().int("pid") }
        let again = try await session.run { try $0.execute("select pg_backend_pid() as pid").single().int("pid") }
        #expect(again == first)
        await session.reset()
        let fresh = try await session.run { try $0.execute("select pg_backend_pid() as pid").single().int("pid") }
        #expect(fresh != first)
        await session.reset()
        try await TestThreads.run { try database.drop() }
    }

    @Test func aWaitingRequestFailsWhenItsTimeIsUpWhileTheConnectionIsStillBusy() async throws {
        let database = try await TestThreads.run { try TestDatabase.fresh(migrated: false) }
        let pool = ConnectionPool(size: 1, waitTimeout: .milliseconds(200)) { try database.connect() }
        let gate = Gate()
        let holder = Task { try await pool.withConnection { _ in gate.pass() } }
        try await gate.waitUntilEntered()
        // The only connection stays busy until the gate opens, which happens only after the
        // second request has failed: so it failed on its deadline, not when a worker came free.
        await #expect(throws: ConnectionPool.Busy.self) {
            try await pool.withConnection { _ in () }
        }
        #expect(pool.usage == ConnectionPool.Usage(size: 1, inUse: 1, waiting: 0))
        gate.open()
        try await holder.value
        #expect(try await pool.withConnection { try $0.execute("select 1 as one").single().int("one") } == 1)
        await pool.closeIdle()
        try await TestThreads.run { try database.drop() }
    }

    @Test func requestsBeyondTheQueueBoundAreRefusedAtOnce() async throws {
        let database = try await TestThreads.run { try TestDatabase.fresh(migrated: false) }
        let pool = ConnectionPool(size: 1, waitTimeout: .seconds(600), maximumWaiting: 1) { try database.connect() }
        let gate = Gate()
        let holder = Task { try await pool.withConnection { _ in gate.pass() } }
        try await gate.waitUntilEntered()
        let waiter = Task { try await pool.withConnection { try $0.execute("select 2 as two").single().int("two") } }
        while pool.usage.waiting < 1 { await Task.yield() }
        // The queue is full: refused now, not after the 600 s wait.
        await #expect(throws: ConnectionPool.Busy.self) {
            try await pool.withConnection { _ in () }
        }
        gate.open()
        try await holder.value
        #expect(try await waiter.value == 2)
        #expect(pool.usage == ConnectionPool.Usage(size: 1, inUse: 0, waiting: 0))
        await pool.closeIdle()
        try await TestThreads.run { try database.drop() }
    }

    @Test func aConnectionTheServerDroppedIsReplacedForTheNextRequest() async throws {
        let database = try await TestThreads.run { try TestDatabase.fresh(migrated: false) }
        let pool = ConnectionPool(size: 1) { try database.connect() }
        let pid = try await pool.withConnection { try $0.execute("select pg_backend_pid() as pid").single().int("pid") }
        try await TestThreads.run {
            try database.connect().execute("select pg_terminate_backend(\(pid))")
        }
        let next = try await pool.withConnection { try $0.execute("select pg_backend_pid() as pid").single().int("pid") }
        #expect(next != pid)
        await pool.closeIdle()
        try await TestThreads.run { try database.drop() }
    }
}
