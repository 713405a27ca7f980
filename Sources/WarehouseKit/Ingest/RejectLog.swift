import Foundation

/// The rows a load refuses, kept in COPY text form for `ops.rejected_rows`. Spills to a temporary
/// file past a few megabytes, so a file with many bad rows still loads in flat memory.
final class RejectLog {
    private(set) var count = 0
    /// Physical lines the rejected records covered: what reject limits count.
    private(set) var lineCount = 0
    private(set) var first: [RejectedRow] = []
    private let buffer = ByteBuffer()
    private var spill: FileHandle?
    private let keepFirst: Int
    private let spillThreshold: Int

    init(keepFirst: Int = 20, spillThreshold: Int = 8 << 20) {
        self.keepFirst = keepFirst
        self.spillThreshold = spillThreshold
    }

    deinit {
        try? spill?.close()
    }

    func add(line: Int, lines: Int = 1, column: String?, reason: String, raw: String) throws {
        count += 1
        lineCount += lines
        let code = RejectCode(reason: reason)
        if first.count < keepFirst { first.append(RejectedRow(line: line, column: column, reason: reason, raw: raw, code: code)) }
        CopyText.appendInt(Int64(line), to: buffer)
        buffer.append(0x09)
        if let column { CopyText.appendEscaped(column, to: buffer) } else { buffer.append("\\N") }
        buffer.append(0x09)
        CopyText.appendEscaped(reason, to: buffer)
        buffer.append(0x09)
        CopyText.appendEscaped(code.rawValue, to: buffer)
        buffer.append(0x09)
        // PostgreSQL text cannot hold NUL or invalid UTF-8: store what the bytes say, visibly.
        CopyText.appendEscaped(raw.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}"), to: buffer)
        buffer.append(0x0A)
        if buffer.count >= spillThreshold { try spillBuffer() }
    }

    private func spillBuffer() throws {
        if spill == nil {
            // Unlinked at once: the open descriptor keeps it, and no kill can leave it behind.
            let file = try PrivateTemporaryFile.create(prefix: "warehouse-rejects")
            unlink(file.path)
            spill = FileHandle(fileDescriptor: file.descriptor, closeOnDealloc: true)
        }
        try spill!.write(contentsOf: Data(buffer.bytes))
        buffer.removeAll()
    }

    /// Copies every reject into `ops.rejected_rows` for `batchID`.
    func store(batchID: Int, on connection: PostgresConnection) throws {
        guard count > 0 else { return }
        try connection.copyIn("""
            copy ops.rejected_rows (batch_id, line_number, column_name, reason, code, raw_record) from stdin
            """) { writer in
            let prefix = Array("\(batchID)\t".utf8)
            func emit(_ bytes: UnsafeRawBufferPointer) throws {
                var rowStart = 0
                for index in 0..<bytes.count where bytes[index] == 0x0A {
                    writer.pending.append(contentsOf: prefix)
                    writer.pending.append(UnsafeRawBufferPointer(rebasing: bytes[rowStart...index]))
                    rowStart = index + 1
                    try writer.flushIfNeeded()
                }
            }
            if let spill {
                try spill.seek(toOffset: 0)
                var carry: [UInt8] = []
                while let chunk = try spill.read(upToCount: 1 << 20), !chunk.isEmpty {
                    carry.append(contentsOf: chunk)
                    guard let lastNewline = carry.lastIndex(of: 0x0A) else { continue }
                    try carry.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[...lastNewline])) }
                    carry.removeSubrange(...lastNewline)
                }
            }
            try emit(buffer.bytes)
        }
    }
}
