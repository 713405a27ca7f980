import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs initdb and pg_ctl for one cluster, as the right account. Callers hold the cluster lock.
struct ServerControl {
    enum State: Equatable {
        case stopped
        /// A postmaster whose working folder is this data folder.
        case running(pid: Int32)
        /// postmaster.pid names a process that is gone, or is not our postmaster: after a
        /// crash or a reboot (in containers the old PID is often taken by something else).
        case stale(pid: Int32)
    }

    let layout: ClusterLayout
    let account: ServerAccount
    let cluster: EmbeddedCluster
    let binaries: PostgresBinaries
    let runner: ProcessRunner

    /// How long pg_ctl may wait for a start or a stop (crash recovery can take a while).
    static let pgCtlTimeoutSeconds = 120

    init(layout: ClusterLayout, account: ServerAccount, cluster: EmbeddedCluster) throws {
        self.layout = layout
        self.account = account
        self.cluster = cluster
        self.binaries = try PostgresBinaries.locate(environment: cluster.environment)
        self.runner = cluster.childRunner
    }

    /// Runs a server program as the server's account.
    func run(_ tool: URL, _ arguments: [String]) throws -> ProcessRunner.Outcome {
        let (program, fullArguments) = try account.command(tool, arguments)
        return try runner.run(program, fullArguments)
    }

    // MARK: State

    func state() -> State {
        guard let pid = Self.recordedPID(layout) else { return .stopped }
        return Self.isPostmaster(pid: pid, dataDirectory: layout.dataDirectory) ? .running(pid: pid) : .stale(pid: pid)
    }

    /// The first line of `postmaster.pid`, if there is one.
    static func recordedPID(_ layout: ClusterLayout) -> Int32? {
        guard let text = try? String(contentsOf: layout.pidFile, encoding: .utf8),
              let firstLine = text.split(separator: "\n").first,
              let pid = Int32(firstLine.trimmingCharacters(in: .whitespaces)), pid > 0
        else { return nil }
        return pid
    }

    /// Whether `pid` is a live postmaster serving `dataDirectory`.
    ///
    /// `kill(pid, 0)` alone (what `pg_ctl status` and the postmaster itself check) is fooled
    /// when the PID was reused after a crash. On Linux the postmaster's working folder is its
    /// data folder, so `/proc/<pid>/cwd` settles it; where that link is unreadable (no
    /// CAP_SYS_PTRACE), its command line names the data folder after `-D`.
    static func isPostmaster(pid: Int32, dataDirectory: URL) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        let proc = URL(fileURLWithPath: "/proc/\(pid)")
        guard FileManager.default.fileExists(atPath: "/proc/self") else { return true }
        let data = dataDirectory.resolvingSymlinksInPath().path
        if let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: proc.appendingPathComponent("cwd").path) {
            return URL(fileURLWithPath: cwd).resolvingSymlinksInPath().path == data
        }
        guard let commandLine = try? Data(contentsOf: proc.appendingPathComponent("cmdline")) else { return false }
        let arguments = commandLine.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        guard let flag = arguments.firstIndex(of: "-D"), flag + 1 < arguments.count else { return false }
        return URL(fileURLWithPath: arguments[flag + 1]).resolvingSymlinksInPath().path == data
    }

    /// Removes what a dead postmaster left: its PID file and the socket and socket lock.
    /// Safe only with the cluster lock held and no postmaster running (see ``state()``).
    func removeStaleFiles() {
        let manager = FileManager.default
        try? manager.removeItem(at: layout.pidFile)
        try? manager.removeItem(at: layout.socketFile)
        try? manager.removeItem(at: URL(fileURLWithPath: layout.socketFile.path + ".lock"))
    }

    // MARK: Start and stop

    /// `pg_ctl start -w`: returns once the server is ready, or throws with the log's last lines.
    func start() throws {
        removeStaleFiles()
        try prepareDirectories()
        try writeConfiguration()
        let arguments = [
            "start", "-D", layout.dataDirectory.path, "-l", layout.logFile.path,
            "-w", "-t", String(Self.pgCtlTimeoutSeconds), "-s",
        ]
        // After a crash, the old server's children can hold its shared memory for a moment;
        // the new postmaster refuses to start until they are gone. Retry briefly.
        var attempts = 0
        while true {
            let outcome = try run(binaries.pgCtl, arguments)
            if outcome.succeeded { return }
            attempts += 1
            let log = logTail()
            if attempts < 20, log.contains("pre-existing shared memory block") {
                Thread.sleep(forTimeInterval: 0.5)
                removeStaleFiles()
                continue
            }
            throw EmbeddedClusterError(.startFailed, """
                could not start the embedded PostgreSQL in \(layout.dataDirectory.path): \(outcome.output)
                Last lines of \(layout.logFile.path):
                \(log)
                """)
        }
    }

    /// `pg_ctl stop -m fast`: sessions are ended and rolled back, then a clean shutdown checkpoint.
    func stop() throws {
        let outcome = try run(binaries.pgCtl, [
            "stop", "-D", layout.dataDirectory.path, "-m", "fast", "-w", "-t", String(Self.pgCtlTimeoutSeconds), "-s",
        ])
        guard outcome.succeeded else {
            throw EmbeddedClusterError(.stopFailed, "could not stop the embedded PostgreSQL: \(outcome.output)")
        }
    }

    /// Waits until the server accepts connections: `pg_ctl -w` already waited for a server we
    /// started, but one found running may still be starting up or recovering.
    func waitUntilAccepting(timeout: TimeInterval = TimeInterval(pgCtlTimeoutSeconds)) throws {
        let deadline = Date().addingTimeInterval(timeout)
        let conninfo = EmbeddedCluster.parameters(layout, database: "postgres").conninfo
        var lastError = ""
        while Date() < deadline {
            do {
                _ = try PostgresConnection(conninfo: conninfo)
                return
            } catch {
                lastError = String(describing: error)
            }
            if case .running = state() {} else {
                throw EmbeddedClusterError(.startFailed, """
                    the embedded PostgreSQL stopped while starting: \(lastError)
                    Last lines of \(layout.logFile.path):
                    \(logTail())
                    """)
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw EmbeddedClusterError(.startFailed, """
            the embedded PostgreSQL runs but accepts no connections on \(layout.socketDirectory.path): \(lastError)
            Try `warehouse db stop` then `warehouse db start`; see \(layout.logFile.path).
            """)
    }

    /// The last lines of the server log, for error messages.
    func logTail(lines: Int = 15) -> String {
        guard let text = try? String(contentsOf: layout.logFile, encoding: .utf8) else { return "(no log)" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
