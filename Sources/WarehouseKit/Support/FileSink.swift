#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to a file descriptor: a file it creates (truncating), or standard output.
public final class FileSink: ByteSink {
    private var descriptor: Int32
    private let ownsDescriptor: Bool
    /// The path, or `-` for standard output; used in errors.
    public let path: String

    /// Creates (or truncates) the file at `path`, mode 0644.
    public init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError.system(path: path, operation: "open", errno: errno) }
        descriptor = fd
        ownsDescriptor = true
        self.path = path
    }

    /// Standard output; `close()` leaves the descriptor open.
    public static func standardOutput() -> FileSink {
        FileSink(descriptor: STDOUT_FILENO, owns: false, path: "-")
    }

    private init(descriptor: Int32, owns: Bool, path: String) {
        self.descriptor = descriptor
        ownsDescriptor = owns
        self.path = path
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var next = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            #if canImport(Glibc)
            let written = Glibc.write(descriptor, next, remaining)
            #else
            let written = Darwin.write(descriptor, next, remaining)
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                throw OutputError.system(path: path, operation: "write", errno: errno)
            }
            remaining -= written
            next += written
        }
    }

    public func close() throws {
        guard ownsDescriptor, descriptor >= 0 else { return }
        let fd = descriptor
        descriptor = -1
        #if canImport(Glibc)
        let status = Glibc.close(fd)
        #else
        let status = Darwin.close(fd)
        #endif
        if status != 0 { throw OutputError.system(path: path, operation: "close", errno: errno) }
    }

    deinit {
        if ownsDescriptor, descriptor >= 0 {
            #if canImport(Glibc)
            _ = Glibc.close(descriptor)
            #else
            _ = Darwin.close(descriptor)
            #endif
        }
    }
}
