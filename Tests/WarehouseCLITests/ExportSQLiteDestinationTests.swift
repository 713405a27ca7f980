import Foundation
import Testing
import WarehouseTestSupport

/// `warehouse export-sqlite PATH` as a process, when PATH is not a plain file: refused with the
/// path and what it is, before any database work (so an unreachable database is never even
/// tried), promptly (a FIFO is never opened), and PATH is left as it was.
@Suite("Export: export-sqlite refuses a PATH that is not a regular file", .blockingWork)
struct ExportSQLiteDestinationTests {
    /// A database URL that cannot connect: if the command tried, it would fail with that instead.
    private let unreachable = "postgresql:///warehouse?host=/nonexistent-wh-socket-dir"

    /// Runs the command under `timeout`, so a command stuck opening a FIFO fails the test
    /// (exit 124) instead of hanging the suite.
    private func exportSQLite(to path: String) throws -> ProcessOutput {
        try ProcessOutput.run(
            "/usr/bin/timeout",
            ["60", WarehouseCLI.executable.path, "export-sqlite", path, "--as-of", "2023-12-10", "--database-url", unreachable],
            environment: WarehouseCLI.isolatedEnvironment)
    }

    private func expectRefused(_ path: String, kind: String, naming what: String) throws {
        let outcome = try exportSQLite(to: path)
        #expect(outcome.status != 0 && outcome.status != 124, "status \(outcome.status)")
        #expect(outcome.standardError.contains(path), "\(outcome.standardError)")
        #expect(outcome.standardError.contains(what), "\(outcome.standardError)")
        #expect(!outcome.standardError.contains("nonexistent-wh-socket-dir"), "no connection attempt: \(outcome.standardError)")
        #expect(SpecialFiles.kind(atPath: path) == kind)
    }

    @Test func aCharacterDevice() throws {
        let directory = try TestSupport.temporaryDirectory("wh-export-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        var path = directory.appendingPathComponent("null").path
        if !SpecialFiles.makeNullDevice(atPath: path) { path = "/dev/null" }
        try expectRefused(path, kind: "character device", naming: "character device")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count <= 1)
    }

    @Test func aFIFODoesNotHang() throws {
        let directory = try TestSupport.temporaryDirectory("wh-export-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("pipe").path
        try SpecialFiles.makeFIFO(atPath: path)
        try expectRefused(path, kind: "fifo", naming: "FIFO")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["pipe"])
    }

    @Test func aUnixSocket() throws {
        let directory = try TestSupport.temporaryDirectory("wh-export-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("s").path
        try SpecialFiles.makeUnixSocket(atPath: path)
        try expectRefused(path, kind: "socket", naming: "socket")
    }

    @Test func aDirectory() throws {
        let directory = try TestSupport.temporaryDirectory("wh-export-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        try expectRefused(directory.path, kind: "directory", naming: "directory")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func aDanglingSymlink() throws {
        let directory = try TestSupport.temporaryDirectory("wh-export-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let link = directory.appendingPathComponent("application.db").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "gone.db")
        try expectRefused(link, kind: "symlink", naming: "does not exist")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["application.db"])
    }
}
