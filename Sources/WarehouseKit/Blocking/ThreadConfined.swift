import Foundation

/// A value that only one thread may touch, checked at each access.
///
/// A libpq connection is not thread-safe, so it must not be `Sendable`; yet async code has to
/// hand "the connection" around. This box is what crosses tasks: it can be passed anywhere,
/// but its value can be read or replaced only on the thread that owns it (the same idea as
/// SwiftNIO's loop-bound boxes), so a misuse stops at once instead of corrupting a session.
final class ThreadConfined<Value>: @unchecked Sendable {
    private var stored: Value
    private let owner: ThreadOwner

    init(_ value: Value, owner: ThreadOwner) {
        stored = value
        self.owner = owner
    }

    var value: Value {
        get {
            owner.check()
            return stored
        }
        set {
            owner.check()
            stored = newValue
        }
    }
}

/// Remembers which thread runs a ``BlockingThreads`` of one thread, to check accesses against.
final class ThreadOwner: Sendable {
    private let key = UUID().uuidString

    /// Marks the calling thread as the owner; called once, on that thread.
    func adopt() {
        Thread.current.threadDictionary[key] = true
    }

    func check() {
        precondition(Thread.current.threadDictionary[key] as? Bool == true,
                     "a database connection was used off the thread that owns it")
    }
}
