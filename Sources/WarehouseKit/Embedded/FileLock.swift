import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock(2)` on a file, held until ``unlock()`` (or deinit).
///
/// flock locks belong to the open file description, so two threads of one process exclude
/// each other as well as two processes do, and the kernel drops the lock if the process dies.
/// The descriptor is close-on-exec: a postmaster started while we hold the lock must not
/// inherit it, or the lock would live as long as the server.
final class FileLock {
    private var descriptor: Int32

    /// Blocks until the lock is ours, creating the file if needed.
    init(_ url: URL) throws {
        descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw EmbeddedClusterError(.commandFailed, "could not open lock file \(url.path): \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw EmbeddedClusterError(.commandFailed, "could not lock \(url.path): \(message)")
        }
    }

    func unlock() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { unlock() }
}
