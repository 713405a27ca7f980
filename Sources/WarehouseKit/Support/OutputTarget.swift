/// Where a command writes: standard output (`-`), a plain file, or a gzip file (`*.gz`).
public enum OutputTarget: Sendable, Equatable, CustomStringConvertible {
    case standardOutput
    case file(String)
    case gzipFile(String)

    /// `-` is standard output; a path ending in `.gz` is gzip-compressed.
    public init(path: String) {
        if path == "-" {
            self = .standardOutput
        } else if path.hasSuffix(".gz") {
            self = .gzipFile(path)
        } else {
            self = .file(path)
        }
    }

    /// Opens the target; the caller closes the sink when done.
    public func open(gzipLevel: Int32 = GzipFileWriter.defaultLevel) throws -> any ByteSink {
        switch self {
        case .standardOutput: FileSink.standardOutput()
        case .file(let path): try FileSink(path: path)
        case .gzipFile(let path): try GzipFileWriter(path: path, level: gzipLevel)
        }
    }

    public var description: String {
        switch self {
        case .standardOutput: "standard output"
        case .file(let path), .gzipFile(let path): path
        }
    }
}
