import Dispatch
import Foundation
import Synchronization

/// Threads of their own for work that blocks: libpq waits on the network, on the server and on
/// its locks, for milliseconds or for minutes.
///
/// Swift's cooperative pool has one thread per core (two here). Blocking one of them stalls every
/// async task that would run on it, an HTTP server's included, so blocking work must never run
/// there. These threads are created for the purpose and belong to nobody else. As a
/// `TaskExecutor` they can also run whole async bodies (`withTaskExecutorPreference`), which is
/// how the test suite keeps its synchronous database tests off the cooperative pool.
public final class BlockingThreads: TaskExecutor, Sendable {
    private enum Work: Sendable {
        case closure(@Sendable () -> Void)
        case job(UnownedJob)
        case stop
    }

    private let queue = Mutex<[Work]>([])
    private let available = DispatchSemaphore(value: 0)
    public let count: Int

    /// - Parameters:
    ///   - count: how many threads; each runs one piece of work at a time.
    ///   - name: shown by debuggers and `top -H`.
    public init(count: Int, name: String) {
        precondition(count >= 1, "at least one thread")
        self.count = count
        for index in 0..<count {
            let threadName = count == 1 ? name : "\(name)-\(index)"
            // Named from inside, in at most 15 bytes: on Linux a name set before start, or a
            // longer one, is not applied, and the thread would show its creator's name.
            let thread = Thread { [self] in
                Thread.current.name = String(threadName.utf8.prefix(15)) ?? threadName
                self.serve()
            }
            // Loads parse deep call chains (COPY, CSV decoding); the default 512 KiB is too tight.
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Runs `body` on one of these threads and returns what it returns; the caller's task is
    /// suspended meanwhile, its thread free for other tasks.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            submit { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Queues `work` for the next free thread.
    public func submit(_ work: @escaping @Sendable () -> Void) {
        enqueue(.closure(work))
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        enqueue(.job(UnownedJob(job)))
    }

    private func enqueue(_ work: Work) {
        queue.withLock { $0.append(work) }
        available.signal()
    }

    /// Lets each thread end once the work queued before this call is done. Work queued later
    /// never runs, so call it only when nothing will be submitted any more.
    public func shutdown() {
        for _ in 0..<count { enqueue(.stop) }
    }

    private func serve() {
        while true {
            available.wait()
            guard let work = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
            switch work {
            case .closure(let body): body()
            case .job(let job): job.runSynchronously(on: asUnownedTaskExecutor())
            case .stop: return
            }
        }
    }
}

extension BlockingThreads {
    /// Shared threads for one-off blocking work in async code (a pull's ledger rows, a
    /// scheduled job's connect). Eight: more than enough for the few at once a process has.
    public static let shared = BlockingThreads(count: 8, name: "wh-blocking")
}
