import Foundation

/// A streaming RFC 4180 CSV reader over bytes: quoted fields with commas, doubled quotes and
/// newlines, CRLF or LF line ends, a UTF-8 byte-order mark. Works in place on a large buffer and
/// hands each record to a closure as byte slices, so reading 5M rows allocates almost nothing.
final class CSVScanner {
    /// One record, valid only during the callback.
    struct Record {
        /// The physical line (1-based, header = 1) where the record starts.
        let line: Int
        /// Field contents with quotes removed and doubled quotes undone.
        let fields: UnsafeBufferPointer<Range<Int>>
        let storage: UnsafeBufferPointer<UInt8>
        /// The record's text as it stood in the file, without its line end.
        let raw: UnsafeBufferPointer<UInt8>
        /// Set when the record is malformed (e.g. a stray quote); fields are then best effort.
        let malformation: String?

        var count: Int { fields.count }

        func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
            let range = fields[index]
            return UnsafeBufferPointer(rebasing: storage[range])
        }

        var rawText: String { String(decoding: raw, as: UTF8.self) }
    }

    private let reader: ByteReader
    private var buffer: [UInt8]
    private var dataEnd = 0
    private var eof = false
    private let scratch = ByteBuffer(capacity: 1 << 16)
    private var fieldRanges: [Range<Int>] = []
    private var line = 1
    private var sawFirstBytes = false
    private let maximumRecordBytes: Int
    private let observe: (UnsafeRawBufferPointer) -> Void

    /// - Parameter observe: sees every decompressed byte once, in order (to fingerprint the content).
    init(reader: ByteReader, bufferSize: Int = 4 << 20, maximumRecordBytes: Int = 64 << 20,
         observe: @escaping (UnsafeRawBufferPointer) -> Void = { _ in }) {
        self.reader = reader
        self.buffer = [UInt8](repeating: 0, count: bufferSize)
        self.maximumRecordBytes = maximumRecordBytes
        self.observe = observe
        fieldRanges.reserveCapacity(16)
    }

    /// Refills the buffer keeping bytes from `keepFrom` on; returns false at the end of input.
    private func refill(keepFrom: Int) throws -> Bool {
        if eof { return false }
        let kept = dataEnd - keepFrom
        if keepFrom > 0 {
            buffer.withUnsafeMutableBytes { bytes in
                _ = memmove(bytes.baseAddress!, bytes.baseAddress! + keepFrom, kept)
            }
        } else if kept == buffer.count {
            guard buffer.count < maximumRecordBytes else {
                throw IngestError.recordTooLong(line: line, limit: maximumRecordBytes)
            }
            buffer.append(contentsOf: repeatElement(0, count: buffer.count))
        }
        dataEnd = kept
        let count = try buffer.withUnsafeMutableBytes { bytes in
            try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[kept...]))
        }
        if count == 0 {
            eof = true
            return false
        }
        buffer.withUnsafeBytes { observe(UnsafeRawBufferPointer(rebasing: $0[kept..<(kept + count)])) }
        dataEnd = kept + count
        return true
    }

    /// Calls `body` for every record, header included, in order.
    func scan(_ body: (Record) throws -> Void) throws {
        var start = 0
        _ = try refill(keepFrom: 0)
        // A UTF-8 byte-order mark is not part of the first column's name.
        if dataEnd >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
        while true {
            if start >= dataEnd {
                if !(try refill(keepFrom: dataEnd)) { return }
                start = 0
            }
            switch try parseRecord(from: start) {
            case .needMore:
                let hadMore = try refill(keepFrom: start)
                start = 0
                if !hadMore {
                    // Last record without a line end (or an unterminated quote): parse as final.
                    if case .record(let next, let lines, let malformation, let rawEnd) = try parseRecord(from: 0, atEOF: true) {
                        try deliver(body, rawStart: 0, rawEnd: rawEnd, lines: lines, malformation: malformation)
                        start = next
                    }
                    return
                }
            case .record(let next, let lines, let malformation, let rawEnd):
                try deliver(body, rawStart: start, rawEnd: rawEnd, lines: lines, malformation: malformation)
                start = next
            }
        }
    }

    private func deliver(_ body: (Record) throws -> Void, rawStart: Int, rawEnd: Int, lines: Int, malformation: String?) throws {
        let recordLine = line
        line += lines
        // A blank line is not a record.
        if rawEnd == rawStart { return }
        try buffer.withUnsafeBufferPointer { bytes in
            let storage = UnsafeBufferPointer(start: scratch.base, count: scratch.count)
            try fieldRanges.withUnsafeBufferPointer { fields in
                try body(Record(
                    line: recordLine, fields: fields, storage: storage,
                    raw: UnsafeBufferPointer(rebasing: bytes[rawStart..<rawEnd]), malformation: malformation))
            }
        }
    }

    private enum Outcome {
        case needMore
        /// `next`: where the following record starts; `lines`: line ends consumed; `rawEnd`: end of text without the line end.
        case record(next: Int, lines: Int, malformation: String?, rawEnd: Int)
    }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    private func parseRecord(from start: Int, atEOF: Bool = false) throws -> Outcome {
        scratch.removeAll()
        fieldRanges.removeAll(keepingCapacity: true)
        let end = dataEnd
        return buffer.withUnsafeBufferPointer { bytes -> Outcome in
            var i = start
            var lines = 0
            var malformation: String?
            var fieldStart = 0
            while true {
                // Start of a field.
                fieldStart = scratch.count
                var j = i
                while j < end, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
                if j < end, bytes[j] == Self.quote {
                    // Quoted field.
                    i = j + 1
                    var closed = false
                    while i < end {
                        let byte = bytes[i]
                        if byte == Self.quote {
                            if i + 1 < end, bytes[i + 1] == Self.quote {
                                scratch.append(Self.quote)
                                i += 2
                                continue
                            }
                            if i + 1 >= end && !atEOF { return .needMore }
                            i += 1
                            closed = true
                            break
                        }
                        if byte == Self.lf { lines += 1 }
                        scratch.append(byte)
                        i += 1
                    }
                    if !closed {
                        if !atEOF { return .needMore }
                        malformation = malformation ?? "a quoted field is never closed"
                        fieldRanges.append(fieldStart..<scratch.count)
                        return .record(next: end, lines: lines, malformation: malformation, rawEnd: end)
                    }
                    // After the closing quote: spaces, then a comma or the line end.
                    while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
                    if i < end, bytes[i] != Self.comma, bytes[i] != Self.lf, bytes[i] != Self.cr {
                        malformation = malformation ?? "unexpected text after a closing quote"
                        while i < end, bytes[i] != Self.comma, bytes[i] != Self.lf {
                            if bytes[i] != Self.cr { scratch.append(bytes[i]) }
                            i += 1
                        }
                    }
                } else {
                    // Unquoted field: up to the next comma or line end; a stray quote is kept as text.
                    i = j
                    while i < end {
                        let byte = bytes[i]
                        if byte == Self.comma || byte == Self.lf { break }
                        scratch.append(byte)
                        i += 1
                    }
                    // A CR before LF (or at EOF) belongs to the line end.
                    if scratch.count > fieldStart, scratch.base[scratch.count - 1] == Self.cr,
                       i >= end || bytes[i] == Self.lf {
                        scratch.dropLast()
                    }
                }
                fieldRanges.append(fieldStart..<scratch.count)
                if i >= end {
                    if !atEOF { return .needMore }
                    var rawEnd = end
                    if rawEnd > start, bytes[rawEnd - 1] == Self.cr { rawEnd -= 1 }
                    return .record(next: end, lines: lines, malformation: malformation, rawEnd: rawEnd)
                }
                if bytes[i] == Self.comma {
                    i += 1
                    continue
                }
                if bytes[i] == Self.cr {
                    // CR not followed by LF (inside an unquoted record): treat as part of the line end.
                    if i + 1 >= end && !atEOF { return .needMore }
                    i += 1
                    if i < end, bytes[i] == Self.lf { i += 1 }
                    lines += 1
                    return .record(next: i, lines: lines, malformation: malformation, rawEnd: i - 2 >= start && bytes[i - 1] == Self.lf ? i - 2 : i - 1)
                }
                // LF
                var rawEnd = i
                if rawEnd > start, bytes[rawEnd - 1] == Self.cr { rawEnd -= 1 }
                lines += 1
                return .record(next: i + 1, lines: lines, malformation: malformation, rawEnd: rawEnd)
            }
        }
    }
}
