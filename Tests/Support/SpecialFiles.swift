#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes the kinds of file system entry a command must never mistake for a regular file
/// (devices, FIFOs, sockets), and tells what an entry is without following links.
public enum SpecialFiles {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// What `lstat(2)` says `path` is: "regular", "directory", "symlink", "character device",
    /// "block device", "fifo", "socket", or "missing".
    public static func kind(atPath path: String) -> String {
        var info = stat()
        guard lstat(path, &info) == 0 else { return "missing" }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return "regular"
        case S_IFDIR: return "directory"
        case S_IFLNK: return "symlink"
        case S_IFCHR: return "character device"
        case S_IFBLK: return "block device"
        case S_IFIFO: return "fifo"
        case S_IFSOCK: return "socket"
        default: return "other"
        }
    }

    /// A FIFO at `path` (nobody reads it: opening it for writing would block forever).
    public static func makeFIFO(atPath path: String) throws {
        guard mkfifo(path, 0o600) == 0 else { throw failure("mkfifo \(path)") }
    }

    /// A character device equal to /dev/null (major 1, minor 3) at `path`; needs root.
    /// Returns false when this process may not create device nodes.
    public static func makeNullDevice(atPath path: String) -> Bool {
        // Linux's dev_t encoding for small numbers: major in bits 8-19, minor in bits 0-7.
        mknod(path, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0
    }

    /// A listening-capable unix socket bound at `path`; the descriptor is closed again, the
    /// socket file stays (as one left by a server that exited).
    public static func makeUnixSocket(atPath path: String) throws {
        #if canImport(Glibc)
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw failure("socket") }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw Failure(description: "socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else { throw failure("bind \(path)") }
    }

    private static func failure(_ what: String) -> Failure {
        Failure(description: "\(what): \(String(cString: strerror(errno)))")
    }
}
