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
    /// The file replaced: PATH, or the regular file PATH links to.
    let destination: URL
    let temporary: URL

    /// The destination as it was checked before the export began; re-checked before the rename.
    let checked: ExportDestination
    /// What the caller asked for (PATH, possibly a symbolic link).
    private let requested: URL

    /// - Throws: ``ExportError`` when the destination's directory is missing or the
    ///   destination exists and is not a regular file (nor a link to one): see ``ExportDestination``.
    init(destination: URL, processID: Int32 = ProcessInfo.processInfo.processIdentifier) throws {
        requested = destination
        checked = try ExportDestination(resolving: destination)
        // Replace the file itself, beside itself: through a link, that is the link's target.
        self.destination = checked.file
        temporary = checked.file.deletingLastPathComponent()
            .appendingPathComponent(".\(checked.file.lastPathComponent).tmp-\(processID)")
    }

    /// Clears a stale temporary file left by a crashed run that had the same process id
    /// (ids repeat, in containers especially). Only a regular file or a symbolic link (the link,
    /// never its target) is removed; anything else in the way is refused.
    func prepare() throws {
        for url in [temporary] + sidecars {
            switch try ExportDestination.kind(ofEntryAt: url.path, followingLinks: false) {
            case nil: continue
            case .regular?, .symbolicLink?: try FileManager.default.removeItem(at: url)
            case let kind?: throw ExportError.destination("\(url.path) is in the way (a \(kind.description))")
            }
        }
    }

    /// Flushes the finished temporary file to disk and renames it over the destination.
    ///
    /// The fsync before the rename matters because the export writes with
    /// `PRAGMA synchronous = OFF`: without it a power cut right after the rename could leave
    /// the new name on a file whose pages never reached the disk.
    func commit() throws {
        try Self.fsync(path: temporary.path, directory: false)
        // PATH was checked before the export; check again just before the rename, so a device,
        // FIFO or link put there meanwhile is refused rather than replaced.
        guard try ExportDestination(resolving: requested) == checked else {
            throw ExportError.destination("\(requested.path) changed while the export ran: not replacing it")
        }
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
            switch try? ExportDestination.kind(ofEntryAt: url.path, followingLinks: false) {
            case .regular?, .symbolicLink?: try? FileManager.default.removeItem(at: url)
            default: continue
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
