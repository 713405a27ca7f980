import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// What the export does with a PATH that already exists and is not a plain file: only a regular
/// file (or a symbolic link to one) is ever replaced; anything else is refused untouched.
@Suite("SQLite export: what PATH may be", .blockingWork)
struct ExportDestinationTests {
    private func exporter(_ database: ExportTestDatabase, to path: String) -> SQLiteExporter {
        SQLiteExporter(
            connection: database.connection, destination: URL(fileURLWithPath: path),
            asOf: ExportFixture.asOf, sourceDescription: "test")
    }

    private func listing(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    /// Runs the export to `path`, expects a destination error whose message names `path` and
    /// `kind`, and that nothing appeared beside it.
    private func expectRefused(_ database: ExportTestDatabase, _ path: String, naming kind: String, in directory: URL) throws {
        let before = try listing(directory)
        let error = try #require(throws: ExportError.self) { try exporter(database, to: path).run() }
        #expect(error.isDestinationProblem)
        #expect(error.description.contains(path), "\(error)")
        #expect(error.description.contains(kind), "\(error)")
        #expect(try listing(directory) == before, "no temporary file may be left")
    }

    @Test func aCharacterDeviceIsRefusedAndStaysADevice() throws {
        try ExportTestDatabase.with { database in
            try withTemporaryDirectory { directory in
                // A private copy of /dev/null when we may make device nodes (root); otherwise
                // /dev/null itself, which a non-root process could not replace anyway.
                var path = directory.appendingPathComponent("null").path
                if !SpecialFiles.makeNullDevice(atPath: path) { path = "/dev/null" }
                try expectRefused(database, path, naming: "character device", in: directory)
                #expect(SpecialFiles.kind(atPath: path) == "character device")
            }
        }
    }

    @Test func aFIFOIsRefusedWithoutOpeningIt() throws {
        try ExportTestDatabase.with { database in
            try withTemporaryDirectory { directory in
                let path = directory.appendingPathComponent("pipe").path
                try SpecialFiles.makeFIFO(atPath: path)
                try expectRefused(database, path, naming: "FIFO", in: directory)
                #expect(SpecialFiles.kind(atPath: path) == "fifo")
            }
        }
    }

    @Test func aUnixSocketIsRefused() throws {
        try ExportTestDatabase.with { database in
            try withTemporaryDirectory { directory in
                let path = directory.appendingPathComponent("sock").path
                try SpecialFiles.makeUnixSocket(atPath: path)
                try expectRefused(database, path, naming: "socket", in: directory)
                #expect(SpecialFiles.kind(atPath: path) == "socket")
            }
        }
    }

    @Test func aDirectoryIsRefused() throws {
        try ExportTestDatabase.with { database in
            try withTemporaryDirectory { directory in
                let path = directory.appendingPathComponent("application.db").path
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
                try expectRefused(database, path, naming: "directory", in: directory)
                #expect(SpecialFiles.kind(atPath: path) == "directory")
            }
        }
    }

    @Test func aDanglingSymlinkIsRefusedAndCreatesNothing() throws {
        try ExportTestDatabase.with { database in
            try withTemporaryDirectory { directory in
                let link = directory.appendingPathComponent("application.db").path
                try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "nowhere/target.db")
                try expectRefused(database, link, naming: "does not exist", in: directory)
                #expect(SpecialFiles.kind(atPath: link) == "symlink")
                #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "nowhere/target.db")
            }
        }
    }

    @Test func aSymlinkToADeviceIsRefused() throws {
        try ExportTestDatabase.with { database in
            try withTemporaryDirectory { directory in
                let link = directory.appendingPathComponent("application.db").path
                try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
                try expectRefused(database, link, naming: "character device", in: directory)
                #expect(SpecialFiles.kind(atPath: link) == "symlink")
                #expect(SpecialFiles.kind(atPath: "/dev/null") == "character device")
            }
        }
    }

    /// The link is followed: its target is replaced atomically (built beside the target), the
    /// link itself stays, and the summary says which file was written through which link.
    @Test func aSymlinkToARegularFileReplacesTheTargetAndKeepsTheLink() throws {
        try ExportTestDatabase.with { database in
            try ExportFixture.load(into: database.connection)
            try withTemporaryDirectory { directory in
                let targetDirectory = directory.appendingPathComponent("real")
                try FileManager.default.createDirectory(at: targetDirectory, withIntermediateDirectories: false)
                let target = targetDirectory.appendingPathComponent("target.db")
                try Data("the old file".utf8).write(to: target)
                let link = directory.appendingPathComponent("application.db").path
                try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real/target.db")

                let summary = try exporter(database, to: link).run()

                #expect(SpecialFiles.kind(atPath: link) == "symlink")
                #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real/target.db")
                #expect(SpecialFiles.kind(atPath: target.path) == "regular")
                #expect(summary.path == target.resolvingSymlinksInPath().path)
                #expect(summary.throughLink == link)
                let sqlite = try SQLiteDatabase(path: target.path, mode: .readOnly)
                #expect(try sqlite.scalar(sql: "select count(*) from fact_orders") == .integer(Int64(ExportFixture.orderCount)))
                #expect(try listing(directory) == ["application.db", "real"])
                #expect(try listing(targetDirectory) == ["target.db"])
            }
        }
    }
}
