#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Foundation

/// The file an export will replace, decided from what PATH is on disk before any other work.
///
/// Only a regular file is ever replaced. A new PATH is created. A symbolic link to a regular
/// file is followed: the link stays and its target is replaced (the export is built beside the
/// target, so the rename stays on one file system). Everything else — a device (`/dev/null`),
/// a FIFO, a socket, a directory, a link to any of those, a dangling link — is refused with the
/// path and what it is, because renaming a file over it would silently destroy it.
public struct ExportDestination: Sendable, Equatable {
    /// The file that will be written: PATH itself, or the regular file its link resolves to.
    public let file: URL
    /// PATH, when it is a symbolic link that was followed to `file`.
    public let link: URL?

    /// Inspects `path` with `lstat(2)`/`stat(2)` only: never opens it, so a FIFO cannot block.
    /// - Throws: ``ExportError`` (a destination problem) naming the path and what it is.
    public init(resolving path: URL) throws {
        let path = path.standardizedFileURL
        switch try Self.kind(ofEntryAt: path.path, followingLinks: false) {
        case nil, .regular:
            try Self.requireDirectory(of: path)
            file = path
            link = nil
        case .symbolicLink:
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path.path)) ?? "?"
            guard let kind = try Self.kind(ofEntryAt: path.path, followingLinks: true) else {
                throw ExportError.destination("""
                    \(path.path) is a symbolic link to \(target), which does not exist: \
                    refusing to write through it (remove the link or point it at a regular file)
                    """)
            }
            guard kind == .regular else {
                throw ExportError.destination("""
                    \(path.path) is a symbolic link to \(target), which is a \(kind.description), \
                    not a regular file: refusing to replace it
                    """)
            }
            guard let resolved = realpath(path.path, nil) else {
                throw ExportError.destination("could not resolve the symbolic link \(path.path): \(Self.lastError)")
            }
            defer { free(resolved) }
            file = URL(fileURLWithPath: String(cString: resolved))
            link = path
        case let kind?:
            throw ExportError.destination("""
                \(path.path) is a \(kind.description), not a regular file: refusing to replace it \
                (export-sqlite writes only to a new path or over a regular file)
                """)
        }
    }

    /// What an existing entry is, as far as the export cares.
    enum Kind: Equatable, CustomStringConvertible {
        case regular, directory, symbolicLink, characterDevice, blockDevice, fifo, socket, other

        init(mode: mode_t) {
            switch mode & S_IFMT {
            case S_IFREG: self = .regular
            case S_IFDIR: self = .directory
            case S_IFLNK: self = .symbolicLink
            case S_IFCHR: self = .characterDevice
            case S_IFBLK: self = .blockDevice
            case S_IFIFO: self = .fifo
            case S_IFSOCK: self = .socket
            default: self = .other
            }
        }

        var description: String {
            switch self {
            case .regular: "regular file"
            case .directory: "directory"
            case .symbolicLink: "symbolic link"
            case .characterDevice: "character device"
            case .blockDevice: "block device"
            case .fifo: "FIFO (named pipe)"
            case .socket: "socket"
            case .other: "special file"
            }
        }
    }

    /// `nil` when nothing is there (or, following links, when the chain ends nowhere).
    static func kind(ofEntryAt path: String, followingLinks: Bool) throws -> Kind? {
        var info = stat()
        let result = followingLinks ? stat(path, &info) : lstat(path, &info)
        guard result == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw ExportError.destination("could not inspect \(path): \(lastError)")
        }
        return Kind(mode: info.st_mode)
    }

    private static func requireDirectory(of path: URL) throws {
        let directory = path.deletingLastPathComponent()
        guard try kind(ofEntryAt: directory.path, followingLinks: true) == .directory else {
            throw ExportError.destination("the directory \(directory.path) does not exist")
        }
    }

    private static var lastError: String { String(cString: strerror(errno)) }
}
