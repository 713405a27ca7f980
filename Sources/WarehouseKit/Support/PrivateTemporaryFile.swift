#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A temporary file only its owner can read (0600), for raw customer rows: the stdin spool and
/// the reject spill. Named `PREFIX-PID-UUID` so that files a killed process left behind can be
/// recognised and removed by the next run.
enum PrivateTemporaryFile {
    /// Creates a new file and returns its path and an open descriptor for reading and writing.
    static func create(prefix: String, suffix: String = "") throws -> (path: String, descriptor: Int32) {
        clearStale(prefix: prefix)
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(getpid())-\(UUID().uuidString)\(suffix)").path
        let descriptor = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ByteReader.Failure.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        return (path, descriptor)
    }

    /// Removes `PREFIX-PID-…` files whose process no longer exists.
    static func clearStale(prefix: String) {
        let directory = FileManager.default.temporaryDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasPrefix(prefix + "-") {
            let rest = name.dropFirst(prefix.count + 1)
            guard let pid = Int32(rest.prefix { $0 != "-" }), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            }
        }
    }
}
