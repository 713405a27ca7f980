public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a helper program (initdb, pg_ctl, setpriv) to completion and captures what it printed.
///
/// Not Foundation's `Process`: on Linux it hands the child a socket it watches to learn of the
/// exit, and `pg_ctl start` passes that socket on to the postmaster it daemonizes, so waiting
/// for pg_ctl would last as long as the server. Here the child gets only stdin (/dev/null)
/// and stdout/stderr, which go to an unlinked temporary file rather than a pipe: we wait for
/// the child's exit, never for an end-of-file that a daemon could hold off forever.
/// Public for the tests' stock PostgreSQL server, which starts its postmaster the same way.
public struct ProcessRunner: Sendable {
    public struct Outcome: Sendable {
        public let status: Int32
        public let output: String
        public var succeeded: Bool { status == 0 }
    }

    public var environment: [String: String]
    /// The child's working directory. Never the caller's: when the cluster runs as another
    /// user, that user may not be allowed into it (say `/root`), and initdb then complains.
    public var workingDirectory: URL = URL(fileURLWithPath: "/")

    public init(environment: [String: String], workingDirectory: URL = URL(fileURLWithPath: "/")) {
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    /// Starts `executable` with `arguments` and waits for it to exit.
    /// - Throws: ``EmbeddedClusterError`` `.commandFailed` when the program cannot be started at all.
    public func run(_ executable: URL, _ arguments: [String]) throws -> Outcome {
        let output = try Self.anonymousFile()
        defer { close(output) }
        let input = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { if input >= 0 { close(input) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        if let addChdir = GNUSpawnExtensions.addChdir { _ = addChdir(&actions, workingDirectory.path) }
        // Whatever else is open here (a runtime's descriptors without close-on-exec) stays here.
        if let addCloseFrom = GNUSpawnExtensions.addCloseFrom { _ = addCloseFrom(&actions, 3) }

        // Default dispositions and an empty mask: ignored signals (SIGPIPE) survive exec otherwise.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw EmbeddedClusterError(.commandFailed, "could not run \(executable.path): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else {
                throw EmbeddedClusterError(.commandFailed, "lost track of \(executable.path): \(String(cString: strerror(errno)))")
            }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift cannot import.
        let signal = status & 0x7f
        let exitCode = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        return Outcome(status: exitCode, output: Self.readAll(output))
    }

    /// A temporary file that is already unlinked: nothing to clean up, nothing left behind.
    private static func anonymousFile() throws -> Int32 {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(directory)/warehouse-output-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0, fcntl(descriptor, F_SETFD, FD_CLOEXEC) == 0 else {
            throw EmbeddedClusterError(.commandFailed, "could not create a temporary file in \(directory): \(String(cString: strerror(errno)))")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return descriptor
    }

    private static func readAll(_ descriptor: Int32) -> String {
        lseek(descriptor, 0, SEEK_SET)
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data += chunk[0..<count]
            } else if count < 0, errno == EINTR {
                continue
            } else {
                break
            }
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29) and `…_addclosefrom_np` (2.34).
///
/// Swift's Glibc module is built without `_GNU_SOURCE`, so it does not declare them; they are
/// looked up at run time instead, and simply skipped on a C library without them.
private enum GNUSpawnExtensions {
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")
    static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")

    private static func symbol<T>(_ name: String) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }
}
