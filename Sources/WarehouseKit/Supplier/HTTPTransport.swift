import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What one HTTP request brought back.
struct HTTPExchange: Sendable {
    let status: Int
    /// Header names lower-cased.
    let headers: [String: String]
    /// The body when it was kept in memory (API pages, error bodies); empty when it was
    /// streamed to a file.
    let body: Data
    let bodyBytes: Int
}

/// Sends one request at a time through URLSession, with its own timeout watchdog.
///
/// Why not URLSession's timeouts: on Linux `timeoutIntervalForRequest` is cut to whole seconds
/// and there is no connect timeout at all (libcurl's default is 300 s). So a timer here cancels
/// a request that has had no response within connect + read timeout (the moment the connection
/// opens is not reported, so the two budgets run together until the first byte), or whose body
/// then stalls for longer than the read timeout, or that is still not complete at its deadline
/// (a server dripping a byte a second is never silent long enough for the read timeout).
/// Redirects are not followed: the token must not travel to another host, and a moved API
/// should be configured at its new address.
final class HTTPTransport: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    struct Timeouts: Sendable {
        var connect: Duration
        var read: Duration
        var deadline: Duration
    }

    /// Why a request ended without an answer, besides URLSession's own errors.
    enum Failure: Error {
        case noResponse(within: Duration)
        case stalled(after: Duration)
        case pastDeadline(Duration)
        case tooLarge(limit: Int)
        case writeFailed(String)
    }

    private final class Transfer {
        let continuation: CheckedContinuation<HTTPExchange, any Error>
        let file: FileHandle?
        let memoryLimit: Int
        let timeouts: Timeouts
        let started = DispatchTime.now()
        var lastActivity = DispatchTime.now()
        var status: Int?
        var headers: [String: String] = [:]
        var body = Data()
        var bytes = 0
        var failure: Failure?
        var timer: (any DispatchSourceTimer)?

        init(continuation: CheckedContinuation<HTTPExchange, any Error>, file: FileHandle?, memoryLimit: Int, timeouts: Timeouts) {
            self.continuation = continuation
            self.file = file
            self.memoryLimit = memoryLimit
            self.timeouts = timeouts
        }
    }

    /// The part of an error body kept for the message.
    static let errorBodyLimit = 64 << 10

    private let lock = NSLock()
    private var transfers: [Int: Transfer] = [:]
    private let timerQueue = DispatchQueue(label: "warehouse.supplier.watchdog")
    private var session: URLSession?

    init(timeouts: Timeouts) {
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        // A backstop only, later than the watchdog: URLSession's timer counts whole seconds.
        configuration.timeoutIntervalForRequest = (timeouts.connect + timeouts.read).asSeconds.rounded(.up) + 5
        configuration.timeoutIntervalForResource = timeouts.deadline.asSeconds.rounded(.up) + 5
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        let delegateQueue = OperationQueue()
        delegateQueue.maxConcurrentOperationCount = 1
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: delegateQueue)
    }

    /// Breaks the session → delegate reference cycle; the owner calls it when done.
    func invalidate() {
        lock.withLock { session }?.finishTasksAndInvalidate()
    }

    /// Sends `request`. A 2xx body goes to `file` when one is given, else into memory up to
    /// `memoryLimit` bytes; other statuses keep the first 64 KiB for the error message.
    func send(_ request: URLRequest, timeouts: Timeouts, file: FileHandle? = nil, memoryLimit: Int) async throws -> HTTPExchange {
        guard let task = lock.withLock({ session })?.dataTask(with: request) else {
            throw URLError(.cancelled)
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let transfer = Transfer(continuation: continuation, file: file, memoryLimit: memoryLimit, timeouts: timeouts)
                lock.withLock { transfers[task.taskIdentifier] = transfer }
                startWatchdog(for: transfer, task: task)
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
    }

    private func startWatchdog(for transfer: Transfer, task: URLSessionTask) {
        let timer = DispatchSource.makeTimerSource(queue: timerQueue)
        let tick = min(max(min(transfer.timeouts.read, transfer.timeouts.deadline).asSeconds / 10, 0.01), 1)
        timer.schedule(deadline: .now() + tick, repeating: tick)
        timer.setEventHandler { [weak self, weak task] in
            guard let self, let task else { return }
            let expired: Bool = self.lock.withLock {
                guard transfer.failure == nil, self.transfers[task.taskIdentifier] === transfer else { return false }
                let now = DispatchTime.now().uptimeNanoseconds
                if Duration.nanoseconds(Int64(now - transfer.started.uptimeNanoseconds)) > transfer.timeouts.deadline {
                    transfer.failure = .pastDeadline(transfer.timeouts.deadline)
                    return true
                }
                let idle = Duration.nanoseconds(Int64(now - transfer.lastActivity.uptimeNanoseconds))
                let budget = transfer.status == nil ? transfer.timeouts.connect + transfer.timeouts.read : transfer.timeouts.read
                guard idle > budget else { return false }
                transfer.failure = transfer.status == nil ? .noResponse(within: budget) : .stalled(after: budget)
                return true
            }
            if expired { task.cancel() }
        }
        transfer.timer = timer
        timer.resume()
    }

    // MARK: - URLSessionDataDelegate

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        lock.withLock {
            guard let transfer = transfers[dataTask.taskIdentifier] else { return }
            transfer.lastActivity = .now()
            let http = response as? HTTPURLResponse
            transfer.status = http?.statusCode ?? 0
            for (name, value) in http?.allHeaderFields ?? [:] {
                if let name = name as? String, let value = value as? String { transfer.headers[name.lowercased()] = value }
            }
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let cancel: Bool = lock.withLock {
            guard let transfer = transfers[dataTask.taskIdentifier], transfer.failure == nil else { return false }
            transfer.lastActivity = .now()
            transfer.bytes += data.count
            let succeeded = (200..<300).contains(transfer.status ?? 0)
            if succeeded, let file = transfer.file {
                do {
                    try file.write(contentsOf: data)
                } catch {
                    transfer.failure = .writeFailed(error.localizedDescription)
                    return true
                }
            } else if succeeded {
                guard transfer.body.count + data.count <= transfer.memoryLimit else {
                    transfer.failure = .tooLarge(limit: transfer.memoryLimit)
                    return true
                }
                transfer.body.append(data)
            } else if transfer.body.count < Self.errorBodyLimit {
                transfer.body.append(data.prefix(Self.errorBodyLimit - transfer.body.count))
            }
            return false
        }
        if cancel { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let transfer = lock.withLock({ transfers.removeValue(forKey: task.taskIdentifier) }) else { return }
        transfer.timer?.cancel()
        if let failure = lock.withLock({ transfer.failure }) {
            transfer.continuation.resume(throwing: failure)
        } else if let error {
            transfer.continuation.resume(throwing: error)
        } else {
            transfer.continuation.resume(returning: HTTPExchange(
                status: transfer.status ?? 0, headers: transfer.headers, body: transfer.body, bodyBytes: transfer.bytes))
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var asSeconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
