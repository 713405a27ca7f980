#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import FlyingFox
import FlyingSocks

/// The dashboard's HTTP/1.1 server: FlyingFox's request and response types and FlyingSocks'
/// sockets, with a request reader of its own that enforces ``HTTPLimits`` (FlyingFox's server
/// has no size limits or read timeouts and no hook to add them).
///
/// Each connection is one task. A request over a limit gets its status (414, 431, 413, 411,
/// 408, 400) with `Connection: close`; the server then stops sending, reads and discards what the
/// client still sends for a moment (so that closing does not reset the connection before the
/// client has read the answer), and closes. Answers to HEAD carry the headers of GET, no body.
actor BoundedHTTPServer {
    private let address: any SocketAddress
    private let limits: HTTPLimits
    private let handler: any HTTPHandler
    private let log: @Sendable (String) -> Void
    private let listening = ListeningSignal()
    private var serving: Task<Void, any Error>?

    init(address: any SocketAddress, limits: HTTPLimits, handler: any HTTPHandler, log: @escaping @Sendable (String) -> Void) {
        self.address = address
        self.limits = limits
        self.handler = handler
        self.log = log
    }

    /// Serves until cancelled or stopped.
    /// - Throws: when the socket cannot be bound (port in use, address not on this machine).
    func run() async throws {
        let listener: Socket
        let pool = HTTPServer.defaultPool()
        do {
            try await pool.prepare()
            listener = try makeSocketAndListen()
        } catch {
            await listening.fail(error)
            throw error
        }
        await listening.succeed(try? listener.sockname())
        let asyncListener = try AsyncSocket(socket: listener, pool: pool)
        let task = Task { [limits, handler, log] in
            defer { try? listener.close() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pool.run() }
                group.addTask {
                    await withDiscardingTaskGroup { connections in
                        var failing = false
                        while !Task.isCancelled {
                            do {
                                let socket = try await asyncListener.accept()
                                failing = false
                                connections.addTask {
                                    await Connection(socket: socket, limits: limits, handler: handler, log: log).serve()
                                }
                            } catch {
                                // Out of file descriptors under a flood of connections, say: keep
                                // serving the open ones and try again shortly rather than stop.
                                if Task.isCancelled { break }
                                if !failing { log("server: cannot accept a connection: \(error)") }
                                failing = true
                                try? await Task.sleep(for: .milliseconds(100))
                            }
                        }
                    }
                }
                _ = try await group.next()
                group.cancelAll()
            }
        }
        serving = task
        try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    /// Waits for the socket to listen; its address (the port the system chose for port 0).
    func waitUntilListening(timeout: Duration) async throws -> Socket.Address? {
        try await listening.wait(timeout: timeout)
    }

    /// Stops listening and ends every connection, giving the work in flight up to `timeout`.
    func stop(timeout: Duration) async {
        guard let serving else { return }
        self.serving = nil
        serving.cancel()
        _ = try? await Deadline.run(until: .now + timeout) { _ = await serving.result }
    }

    private func makeSocketAndListen() throws -> Socket {
        let socket = try Socket(domain: Int32(type(of: address).family))
        try socket.setValue(true, for: .localAddressReuse)
        try socket.bind(to: address)
        try socket.listen()
        return socket
    }
}

/// One client connection: requests in, responses out, each step within its limit.
private struct Connection {
    let socket: AsyncSocket
    let limits: HTTPLimits
    let handler: any HTTPHandler
    let log: @Sendable (String) -> Void

    func serve() async {
        defer { try? socket.close() }
        let reader = BoundedRequestReader(socket: socket, limits: limits)
        while !Task.isCancelled {
            let request: HTTPRequest
            do {
                guard let next = try await reader.next() else { return }
                request = next
            } catch let rejection as RequestRejection {
                log("rejected a request: \(rejection.status.code) \(rejection.reason)")
                _ = await send(Self.response(for: rejection), keepAlive: false, includeBody: true)
                await lingeringClose()
                return
            } catch {
                return
            }
            let response = await handle(request)
            let keepAlive = Self.keepsAlive(request) && !Task.isCancelled
            guard await send(response, keepAlive: keepAlive, includeBody: request.method != .HEAD), keepAlive else { return }
        }
    }

    private func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let handler = self.handler
        do {
            return try await Deadline.run(until: .now + limits.handlerTimeout) { try await handler.handleRequest(request) }
        } catch {
            log("\(LogText.escaped(request.path)): no response: \(error is Deadline.Passed ? "took too long" : "\(error)")")
            var response = HTTPResponse(statusCode: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                                        body: Data("The dashboard could not answer in time; try again shortly.\n".utf8))
            SecurityHeaders.apply(to: &response.headers)
            return response
        }
    }

    /// Writes `response` within ``HTTPLimits/responseTimeout``; false when that failed.
    private func send(_ response: HTTPResponse, keepAlive: Bool, includeBody: Bool) async -> Bool {
        guard let body = try? await response.bodyData else { return false }
        let data = HTTPResponseEncoding.encode(response, body: body, keepAlive: keepAlive, includeBody: includeBody)
        let socket = self.socket
        do {
            try await Deadline.run(until: .now + limits.responseTimeout) { try await socket.write(data) }
            return true
        } catch {
            return false
        }
    }

    /// Stops sending, then reads and discards what the client still sends, for at most a second
    /// and 1 MiB, so that closing does not reset the connection before the client has read the
    /// answer (a reset may discard it).
    private func lingeringClose() async {
        _ = shutdown(socket.socket.file.rawValue, Int32(SHUT_WR))
        let socket = self.socket
        _ = try? await Deadline.run(until: .now + .seconds(1)) {
            var discarded = 0
            while discarded < 1 << 20 { discarded += try await socket.read(atMost: 16_384).count }
        }
    }

    static func keepsAlive(_ request: HTTPRequest) -> Bool {
        let tokens = (request.headers[.connection] ?? "").lowercased().split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
        return request.version == .http11 ? !tokens.contains("close") : tokens.contains("keep-alive")
    }

    static func response(for rejection: RequestRejection) -> HTTPResponse {
        var response = HTTPResponse(statusCode: rejection.status, headers: [.contentType: "text/plain; charset=utf-8"],
                                    body: Data("\(rejection.status.code) \(rejection.status.phrase): \(rejection.reason).\n".utf8))
        SecurityHeaders.apply(to: &response.headers)
        return response
    }
}

/// Lets callers wait until the server listens (or failed to).
private actor ListeningSignal {
    private var result: Result<Socket.Address?, any Error>?
    private var waiters: [UUID: CheckedContinuation<Socket.Address?, any Error>] = [:]

    struct TimedOut: Error, CustomStringConvertible { var description: String { "the server did not start listening in time" } }

    func succeed(_ address: Socket.Address?) { finish(.success(address)) }
    func fail(_ error: any Error) { finish(.failure(error)) }

    func wait(timeout: Duration) async throws -> Socket.Address? {
        if let result { return try result.get() }
        let id = UUID()
        Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.resume(id, with: .failure(TimedOut()))
        }
        return try await withCheckedThrowingContinuation { waiters[id] = $0 }
    }

    private func finish(_ result: Result<Socket.Address?, any Error>) {
        self.result = result
        for id in waiters.keys { resume(id, with: result) }
    }

    private func resume(_ id: UUID, with result: Result<Socket.Address?, any Error>) {
        waiters.removeValue(forKey: id)?.resume(with: result)
    }
}
