internal import CZlib
import Foundation

/// Reads a file, a gzip file or standard input in large chunks, decompressing gzip on the fly
/// (detected by its magic bytes, not the file name), with constant memory.
public final class ByteReader {
    public enum Failure: Error, CustomStringConvertible {
        case cannotOpen(path: String, reason: String)
        case readFailed(path: String, reason: String)
        case corruptGzip(path: String, reason: String)

        public var description: String {
            switch self {
            case .cannotOpen(let path, let reason): return "\(path): cannot open: \(reason)"
            case .readFailed(let path, let reason): return "\(path): read failed: \(reason)"
            case .corruptGzip(let path, let reason): return "\(path): not a valid gzip stream: \(reason)"
            }
        }
    }

    public let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var raw: [UInt8]
    private var rawStart = 0
    private var rawEnd = 0
    private var rawEOF = false
    private var stream: UnsafeMutablePointer<z_stream>?
    private var gzipFinished = false
    /// Compressed or plain bytes consumed from the source so far (for progress).
    public private(set) var sourceBytesRead = 0

    /// Opens `path`, or standard input when `path` is `-`.
    public init(path: String, chunkSize: Int = 1 << 20) throws {
        self.path = path
        if path == "-" {
            descriptor = STDIN_FILENO
            ownsDescriptor = false
        } else {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw Failure.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
            var info = stat()
            if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw Failure.cannotOpen(path: path, reason: "is a directory")
            }
            descriptor = fd
            ownsDescriptor = true
        }
        raw = [UInt8](repeating: 0, count: chunkSize)
        try fillRaw()
        if rawEnd - rawStart >= 2, raw[rawStart] == 0x1f, raw[rawStart + 1] == 0x8b {
            let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            z.initialize(to: z_stream())
            guard wh_inflate_init_gzip(z) == Z_OK else {
                z.deallocate()
                throw Failure.corruptGzip(path: path, reason: "zlib could not start")
            }
            stream = z
        }
    }

    deinit {
        if let stream {
            inflateEnd(stream)
            stream.deallocate()
        }
        if ownsDescriptor { close(descriptor) }
    }

    public var isCompressed: Bool { stream != nil }

    /// The size of the source file in bytes, when it is a regular file.
    public var sourceSize: Int? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    private func fillRaw() throws {
        if rawStart > 0 {
            if rawStart < rawEnd {
                raw.withUnsafeMutableBytes { buffer in
                    _ = memmove(buffer.baseAddress!, buffer.baseAddress! + rawStart, rawEnd - rawStart)
                }
            }
            rawEnd -= rawStart
            rawStart = 0
        }
        while rawEnd < raw.count && !rawEOF {
            let count = raw.withUnsafeMutableBytes { buffer in
                Foundation.read(descriptor, buffer.baseAddress! + rawEnd, buffer.count - rawEnd)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure.readFailed(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { rawEOF = true; break }
            rawEnd += count
            sourceBytesRead += count
            if stream == nil && rawEnd > 0 { break }  // plain: hand out what we have
        }
    }

    /// Reads up to `into.count` decompressed bytes; returns 0 at the end of the input.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let stream else {
            if rawStart == rawEnd {
                if rawEOF { return 0 }
                try fillRaw()
                if rawStart == rawEnd { return 0 }
            }
            let count = min(buffer.count, rawEnd - rawStart)
            raw.withUnsafeBytes { source in
                buffer.baseAddress!.copyMemory(from: source.baseAddress! + rawStart, byteCount: count)
            }
            rawStart += count
            return count
        }
        if gzipFinished { return 0 }
        var produced = 0
        while produced == 0 {
            if rawStart == rawEnd {
                if rawEOF { throw Failure.corruptGzip(path: path, reason: "the file ends in the middle of the compressed stream") }
                try fillRaw()
                continue
            }
            let status: Int32 = raw.withUnsafeMutableBytes { source in
                stream.pointee.next_in = source.baseAddress!.assumingMemoryBound(to: Bytef.self) + rawStart
                stream.pointee.avail_in = uInt(rawEnd - rawStart)
                stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(buffer.count)
                let status = inflate(stream, Z_NO_FLUSH)
                rawStart = rawEnd - Int(stream.pointee.avail_in)
                produced = buffer.count - Int(stream.pointee.avail_out)
                return status
            }
            if status == Z_STREAM_END {
                // Concatenated gzip members (as `cat a.gz b.gz` makes) are one stream.
                if rawStart == rawEnd { try fillRaw() }
                if rawStart < rawEnd {
                    inflateReset(stream)
                } else {
                    gzipFinished = true
                    return produced
                }
            } else if status != Z_OK && status != Z_BUF_ERROR {
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw Failure.corruptGzip(path: path, reason: message)
            }
        }
        return produced
    }
}
