import Foundation

/// A value behind a lock, for state that parallel tests share.
///
/// `Synchronization.Mutex` would do on Linux, but needs macOS 15 and the package supports 14.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with the lock held; keep it short and never re-enter.
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
