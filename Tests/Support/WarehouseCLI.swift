public import Foundation

/// Runs the built `warehouse` binary, as a user would, and captures what it printed.
public enum WarehouseCLI {
    public struct Outcome: Sendable {
        public let status: Int32
        public let standardOutput: String
        public let standardError: String
    }

    /// The `warehouse` executable built next to the test bundle (`.build/<triple>/debug/`), or
    /// `WAREHOUSE_BIN` when set.
    public static var executable: URL {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["WAREHOUSE_BIN"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidates = [
            runner.deletingLastPathComponent().appendingPathComponent("warehouse"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("warehouse"),
            Bundle.main.bundleURL.appendingPathComponent("warehouse"),
            TestSupport.packageRoot.appendingPathComponent(".build/debug/warehouse"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[3]
    }

    /// The test process's environment without anything that picks a database: a command run
    /// with it targets `--database-url` or the embedded cluster only.
    public static var isolatedEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.filter { key, _ in
            key != "DATABASE_URL" && key != "WAREHOUSE_HOME" && !key.hasPrefix("PG")
        }
    }

    /// Starts `warehouse arguments…` without waiting; call ``Running/wait()``.
    public static func start(_ arguments: [String], environment: [String: String]? = nil) throws -> Running {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment ?? isolatedEnvironment
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        return Running(process: process, output: output, error: error)
    }

    /// Runs `warehouse arguments…` to completion.
    public static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> Outcome {
        try start(arguments, environment: environment).wait()
    }

    public final class Running: @unchecked Sendable {
        let process: Process
        let output: Pipe
        let error: Pipe

        init(process: Process, output: Pipe, error: Pipe) {
            self.process = process
            self.output = output
            self.error = error
        }

        /// The child's process id (to signal it, as a crash test does).
        public var processIdentifier: Int32 { process.processIdentifier }

        public var isRunning: Bool { process.isRunning }

        /// Reads both streams to their end (stderr on another thread, so neither pipe fills up).
        public func wait() -> Outcome {
            let errorData = Locked(Data())
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) {
                let data = self.error.fileHandleForReading.readDataToEndOfFile()
                errorData.withLock { $0 = data }
            }
            let outputData = output.fileHandleForReading.readDataToEndOfFile()
            group.wait()
            process.waitUntilExit()
            return Outcome(
                status: process.terminationStatus,
                standardOutput: String(decoding: outputData, as: UTF8.self),
                standardError: String(decoding: errorData.withLock { $0 }, as: UTF8.self))
        }
    }
}
