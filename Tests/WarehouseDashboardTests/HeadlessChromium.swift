import Dispatch
import Foundation

/// Debian's `chromium` run headless, as CI installs it (`scripts/install-deps.sh --browser`).
struct HeadlessChromium: Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let executable: String

    /// `CHROMIUM` if set, else the first of chromium, chromium-browser, google-chrome on PATH.
    static func find() -> HeadlessChromium? {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["CHROMIUM"], FileManager.default.isExecutableFile(atPath: path) {
            return HeadlessChromium(executable: path)
        }
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return HeadlessChromium(executable: "\(folder)/\(name)")
            }
        }
        return nil
    }

    /// The DOM after the page loaded and rendered, serialised (`--dump-dom`).
    func dumpDOM(_ url: String) async throws -> String {
        try await run(["--dump-dom", url])
    }

    /// A PNG of the page at 1280×1600 CSS pixels.
    func screenshot(_ url: String, to path: String) async throws {
        _ = try await run(["--screenshot=\(path)", "--window-size=1280,1600", "--hide-scrollbars", url])
    }

    /// Runs Chromium to completion with its own throwaway profile (runs in parallel must not share
    /// one), off the cooperative threads: the server it is loading runs in this process.
    private func run(_ arguments: [String]) async throws -> String {
        let executable = self.executable
        return try await DashboardTestServer.offload { try Self.blockingRun(executable, arguments) }
    }

    private static func blockingRun(_ executable: String, _ arguments: [String]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("warehouse-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("stdout")
        let errors = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                             "--user-data-dir=\(folder.appendingPathComponent("profile").path)"] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        // A browser that hangs must fail the test, not the whole run.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let log = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) failed (status \(process.terminationStatus)): \(log.suffix(2_000))")
        }
        return text
    }
}
