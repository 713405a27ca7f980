/// One PostgreSQL connection for async code, owned by a thread of its own.
///
/// `PostgresConnection` is a synchronous libpq handle and not `Sendable`. Async code reaches it
/// only through ``run(_:)``, which runs the body on the session's own thread and suspends the
/// caller meanwhile: blocking work never occupies Swift's cooperative pool, and the connection
/// is used by one thread only, one body at a time, in submission order.
public final class DatabaseSession: Sendable {
    private let thread: BlockingThreads
    private let owner = ThreadOwner()
    private let slot: ThreadConfined<PostgresConnection?>
    private let connect: @Sendable () throws -> PostgresConnection

    /// - Parameter name: the thread's name (its last 15 bytes on Linux).
    /// - Parameter connect: opens the connection, on the session's thread, on first use (and
    ///   again after ``reset()``).
    public init(name: String = "wh-database", connect: @escaping @Sendable () throws -> PostgresConnection) {
        thread = BlockingThreads(count: 1, name: name)
        slot = ThreadConfined(nil, owner: owner)
        self.connect = connect
        thread.submit { [owner] in owner.adopt() }
    }

    deinit { thread.shutdown() }

    /// Runs `body` with the session's connection on the session's thread.
    public func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await thread.run { [self] in try body(self.connection()) }
    }

    /// Opens the connection now, so a failure to connect shows before any other work.
    public func open() async throws {
        _ = try await run { _ in () }
    }

    /// Whether a connection is open and the server has not gone away (checked on the session's thread).
    public func isOpenAndHealthy() async -> Bool {
        await (try? thread.run { [slot] in slot.value?.isHealthy ?? false }) ?? false
    }

    /// Closes the connection; the next ``run(_:)`` opens a new one.
    public func reset() async {
        _ = try? await thread.run { [slot] in slot.value = nil }
    }

    /// Runs on the session's thread.
    private func connection() throws -> PostgresConnection {
        if let open = slot.value { return open }
        let opened = try connect()
        slot.value = opened
        return opened
    }
}
