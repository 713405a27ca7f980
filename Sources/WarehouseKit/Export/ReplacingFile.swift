#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A file written under a temporary name beside its destination and renamed over it only when
/// complete, so readers see the old file or the new one, never half of one.
///
/// The temporary name is `.NAME.tmp-PID` in the destination's directory: the same file system,
/// which is what makes `rename(2)` atomic, and hidden from a plain `ls`.
struct ReplacingFile {
    let destination: URL
    let temporary: URL

    /// - Throws: ``ExportError`` when the destination's directory is missing or the
    ///   destination is a directory.
    init(destination: URL, processID: Int32 = ProcessInfo.processInfo.processIdentifier) throws {
        let destination = destination.standardizedFileURL
        let directory = destination.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ExportError.destination("the directory \(directory.path) does not exist")
        }
        if FileManager.default.fileExists(atPath: destination.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ExportError.destination("\(destination.path) is a directory")
        }
        self.destination = destination
        temporary = directory.appendingPathComponent(".\(destination.lastPathComponent).tmp-\(processID)")
    }

    /// Clears a stale temporary file left by a crashed run that had the same process id
    /// (ids repeat, in containers especially); never touches anything but a regular file.
    func prepare() throws {
        for url in [temporary] + sidecars {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            guard !isDirectory.boolValue else {
                throw ExportError.destination("\(url.path) is in the way (a directory)")
            }
            try FileManager.default.removeItem(at: url)
        }
    }

    /// Flushes the finished temporary file to disk and renames it over the destination.
    ///
    /// The fsync before the rename matters because the export writes with
    /// `PRAGMA synchronous = OFF`: without it a power cut right after the rename could leave
    /// the new name on a file whose pages never reached the disk.
    func commit() throws {
        try Self.fsync(path: temporary.path, directory: false)
        guard rename(temporary.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw ExportError.destination("could not rename \(temporary.lastPathComponent) to \(destination.path): \(reason)")
        }
        // Persist the directory entry too, so the rename itself survives a crash.
        try? Self.fsync(path: destination.deletingLastPathComponent().path, directory: true)
    }

    /// Removes the temporary file and any SQLite side file; for the failure path, so it never throws.
    func discard() {
        for url in [temporary] + sidecars {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                try? FileManager.default.removeItem(at: url)
            }
        }
    }

    /// Files SQLite may create next to the database (none with journal_mode=OFF, but a failure
    /// before that pragma ran must not leave one behind).
    private var sidecars: [URL] {
        ["-journal", "-wal", "-shm"].map { URL(fileURLWithPath: temporary.path + $0) }
    }

    private static func fsync(path: String, directory: Bool) throws {
        let descriptor = open(path, directory ? O_RDONLY | O_DIRECTORY : O_RDWR)
        guard descriptor >= 0 else {
            throw ExportError.destination("could not open \(path) to flush it: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        #if canImport(Glibc)
        let result = Glibc.fsync(descriptor)
        #else
        let result = Darwin.fsync(descriptor)
        #endif
        guard result == 0 else {
            throw ExportError.destination("could not flush \(path): \(String(cString: strerror(errno)))")
        }
    }
}
