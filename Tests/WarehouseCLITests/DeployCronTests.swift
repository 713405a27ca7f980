import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import WarehouseTestSupport

/// deploy/cron: the cron.d file runs commands that exist, and warehouse-cron keeps cron's mail
/// for failures: a run skipped because the previous one still holds the lock, or a successful
/// one, prints nothing; a failed one prints the end of its log. Its log folder is created.
@Suite("Deploy: cron", .blockingWork)
struct DeployCronTests {
    static let script = TestSupport.packageRoot.appendingPathComponent("deploy/cron/warehouse-cron").path

    /// The cron.d entries: schedule (5 fields), user, command words.
    static func entries() throws -> [(user: String, command: [String])] {
        try DeployCommands.text("deploy/cron/warehouse-pull.cron").split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            // Entries start with their schedule; comments and variable settings do not.
            guard let first = trimmed.first, first.isNumber || first == "*" else { return nil }
            let words = trimmed.split(whereSeparator: \.isWhitespace).map(String.init)
            guard words.count > 6 else { return nil }
            return (words[5], Array(words[6...]))
        }
    }

    @Test func theCronFileRunsCommandsThatExist() throws {
        let entries = try Self.entries()
        #expect(!entries.isEmpty)
        for entry in entries {
            #expect(entry.user == "warehouse")
            #expect(entry.command.first == "warehouse-cron", "\(entry.command)")
            let arguments = Array(entry.command.dropFirst())
            #expect(DeployCommands.refusal(arguments) == nil, "warehouse \(arguments.joined(separator: " ")): \(DeployCommands.refusal(arguments) ?? "")")
        }
        #expect(FileManager.default.isExecutableFile(atPath: Self.script))
    }

    /// Runs warehouse-cron as cron would, with the built binary first on PATH.
    static func cron(_ arguments: [String], home: URL) throws -> ProcessOutput {
        var environment = WarehouseCLI.isolatedEnvironment
        environment["WAREHOUSE_HOME"] = home.path
        environment["PATH"] = WarehouseCLI.executable.deletingLastPathComponent().path + ":/usr/bin:/bin"
        return try ProcessOutput.run(script, arguments, environment: environment)
    }

    static func log(_ home: URL, _ command: String) -> String {
        (try? String(contentsOf: home.appendingPathComponent("log/\(command).log"), encoding: .utf8)) ?? ""
    }

    @Test func aSuccessfulRunIsSilentAndLogged() throws {
        let home = try TestSupport.temporaryDirectory("warehouse-cron")
        defer { try? FileManager.default.removeItem(at: home) }
        let outcome = try Self.cron(["help", "report"], home: home)
        #expect(outcome.status == 0 && outcome.standardOutput.isEmpty && outcome.standardError.isEmpty, "\(outcome)")
        let log = Self.log(home, "help")
        #expect(log.contains("start: warehouse help report") && log.contains("USAGE: warehouse report") && log.contains("end: exit 0"), "\(log)")
    }

    @Test func aRunThatFindsTheLockHeldIsSkippedWithoutMail() throws {
        let home = try TestSupport.temporaryDirectory("warehouse-cron")
        defer { try? FileManager.default.removeItem(at: home) }
        // This process holds the lock, as a pull still running would.
        let descriptor = open(home.appendingPathComponent("pull.lock").path, O_CREAT | O_RDWR, 0o644)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)

        let outcome = try Self.cron(["pull", "--quiet"], home: home)
        #expect(outcome.status == 0 && outcome.standardOutput.isEmpty && outcome.standardError.isEmpty, "\(outcome)")
        let log = Self.log(home, "pull")
        #expect(log.contains("skipped: warehouse pull --quiet") && !log.contains("start:"), "\(log)")
    }

    @Test func aFailedRunPrintsTheEndOfItsLogForCronToMail() throws {
        let home = try TestSupport.temporaryDirectory("warehouse-cron")
        defer { try? FileManager.default.removeItem(at: home) }
        let outcome = try Self.cron(["report", "no-such-report"], home: home)
        #expect(outcome.status != 0)
        #expect(outcome.standardOutput.contains("warehouse report no-such-report failed (exit \(outcome.status))"), "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.contains("no-such-report"), "the mailed lines hold warehouse's own error")
        #expect(Self.log(home, "report").contains("end: exit \(outcome.status)"))
    }
}
