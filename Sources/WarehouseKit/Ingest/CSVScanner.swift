import Foundation

/// A streaming RFC 4180 CSV reader over bytes: quoted fields with commas, doubled quotes and
/// newlines, CRLF or LF line ends, a UTF-8 byte-order mark. Works in place on a large buffer and
/// hands each record to a closure as byte slices, so reading 5M rows allocates almost nothing.
///
/// Recovery from a stray quote: a quote that opens a field and is never closed where it should
/// be turns the following lines into one long "field". The consumer, which judges the record,
/// can answer ``Continuation/resumeAfterOpeningLine`` for a broken record that spans lines: the
/// scanner then goes back and reads on from the line after the one where the record began, so
/// a stray quote costs that one line. A quoted field may span at most ``maximumQuotedLines``
/// lines, so a runaway quote is cut short even when something much later would close it.
final class CSVScanner {
    /// What the consumer wants after a record.
    enum Continuation {
        /// Go on after the record.
        case next
        /// The record is broken: go on from the physical line after the one it started on.
        case resumeAfterOpeningLine
    }

    /// At most this many physical lines per quoted field.
    static let maximumQuotedLines = 100

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

        /// True when a quoted field carried the record over a line break.
        var spansLines: Bool { raw.contains(CSVScanner.lf) }

        /// Physical lines the record covers.
        var lineCount: Int { raw.reduce(1) { $1 == CSVScanner.lf ? $0 + 1 : $0 } }

        /// The first physical line of the record, without its line end.
        var openingLineText: String {
            guard let end = raw.firstIndex(of: CSVScanner.lf) else { return rawText }
            var line = UnsafeBufferPointer(rebasing: raw[..<end])
            if line.last == CSVScanner.cr { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
            return String(decoding: line, as: UTF8.self)
        }
    }

    private let reader: ByteReader
    /// Names the input in errors.
    let label: String
    // The read buffer and the field ranges are owned memory, not arrays: an array stored in a
    // class is retained and released around each access, which cost three pairs per record, a
    // quarter of the reading thread's time over a 1M-row file.
    private var buffer: UnsafeMutableBufferPointer<UInt8>
    private var dataEnd = 0
    private var eof = false
    private let scratch = ByteBuffer(capacity: 1 << 16)
    private var fieldRanges: UnsafeMutableBufferPointer<Range<Int>>
    private var fieldCount = 0
    private var line = 1
    private var deliveredFirstRecord = false
    private let maximumRecordBytes: Int
    private let maximumFirstRecordBytes: Int
    /// Physical lines read so far, the last one counted even without a line end.
    private(set) var physicalLines = 0
    /// The input's last line had no line end: a file cut short looks exactly like this.
    private(set) var endedWithoutLineEnd = false
    private let observe: (UnsafeRawBufferPointer) -> Void
    /// Called before each read from the source, which may block (a pipe whose writer is slow):
    /// a consumer working in batches hands on what it has first.
    var beforeRead: (() throws -> Void)?

    /// - Parameters:
    ///   - maximumFirstRecordBytes: the header's limit: a file whose first line runs on for
    ///     megabytes has no header, and is refused before it is read to the end.
    ///   - observe: sees every decompressed byte once, in order (to fingerprint the content).
    init(reader: ByteReader, label: String? = nil, bufferSize: Int = 4 << 20, maximumRecordBytes: Int = 64 << 20,
         maximumFirstRecordBytes: Int = 64 << 10,
         observe: @escaping (UnsafeRawBufferPointer) -> Void = { _ in }) {
        self.reader = reader
        self.label = label ?? reader.path
        self.buffer = .allocate(capacity: max(bufferSize, 16))
        self.fieldRanges = .allocate(capacity: 16)
        self.maximumRecordBytes = maximumRecordBytes
        self.maximumFirstRecordBytes = maximumFirstRecordBytes
        self.observe = observe
    }

    deinit {
        buffer.deallocate()
        fieldRanges.deallocate()
    }

    /// `old`'s elements in memory twice as large; `old` is freed.
    private static func doubled<Element>(_ old: UnsafeMutableBufferPointer<Element>) -> UnsafeMutableBufferPointer<Element> {
        let larger = UnsafeMutableBufferPointer<Element>.allocate(capacity: old.count * 2)
        _ = larger.initialize(fromContentsOf: old)
        old.deallocate()
        return larger
    }

    private func appendField(_ range: Range<Int>) {
        if fieldCount == fieldRanges.count { fieldRanges = Self.doubled(fieldRanges) }
        fieldRanges.initializeElement(at: fieldCount, to: range)
        fieldCount += 1
    }

    /// Refills the buffer keeping bytes from `keepFrom` on; returns false at the end of input.
    private func refill(keepFrom: Int) throws -> Bool {
        if eof { return false }
        try beforeRead?()
        let kept = dataEnd - keepFrom
        if keepFrom > 0 {
            _ = memmove(buffer.baseAddress!, buffer.baseAddress! + keepFrom, kept)
        } else if kept == buffer.count {
            guard buffer.count < maximumRecordBytes else {
                throw IngestError.recordTooLong(source: label, line: line, limit: maximumRecordBytes)
            }
            buffer = Self.doubled(buffer)
        }
        dataEnd = kept
        let count = try reader.read(into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[kept...])))
        if count == 0 {
            eof = true
            return false
        }
        observe(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[kept..<(kept + count)])))
        dataEnd = kept + count
        return true
    }

    /// Calls `body` for every record, header included, in order.
    func scan(_ body: (Record) throws -> Void) throws {
        try scan { (record: Record) throws -> Continuation in
            try body(record)
            return .next
        }
    }

    /// Calls `body` for every record, header included, in order; `body` says where to go on.
    func scan(_ body: (Record) throws -> Continuation) throws {
        var start = 0
        _ = try refill(keepFrom: 0)
        // A UTF-8 byte-order mark is not part of the first column's name.
        if dataEnd >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
        while true {
            if start >= dataEnd {
                if eof { return }
                if !(try refill(keepFrom: dataEnd)) { return }
                start = 0
            }
            switch try parseRecord(from: start, atEOF: eof) {
            case .needMore:
                if !deliveredFirstRecord, dataEnd - start > maximumFirstRecordBytes {
                    throw IngestError.headerTooLong(source: label, limit: maximumFirstRecordBytes)
                }
                if !(try refill(keepFrom: start)), dataEnd > 0 {
                    // What is left is the last line, and it has no line end.
                    endedWithoutLineEnd = buffer[dataEnd - 1] != Self.lf && buffer[dataEnd - 1] != Self.cr
                    if endedWithoutLineEnd { physicalLines += 1 }
                }
                start = 0
            case .record(let next, let lines, let malformation, let rawEnd):
                start = try deliver(body, rawStart: start, rawEnd: rawEnd, next: next, lines: lines, malformation: malformation)
            }
        }
    }

    /// Hands the record to `body`; returns where the next record starts.
    private func deliver(_ body: (Record) throws -> Continuation, rawStart: Int, rawEnd: Int, next: Int, lines: Int,
                         malformation: String?) throws -> Int {
        let recordLine = line
        line += lines
        physicalLines += lines
        // A blank line is not a record.
        if rawEnd == rawStart { return next }
        if !deliveredFirstRecord, rawEnd - rawStart > maximumFirstRecordBytes {
            throw IngestError.headerTooLong(source: label, limit: maximumFirstRecordBytes)
        }
        deliveredFirstRecord = true
        let continuation = try body(Record(
            line: recordLine, fields: UnsafeBufferPointer(start: fieldRanges.baseAddress, count: fieldCount),
            storage: UnsafeBufferPointer(start: scratch.base, count: scratch.count),
            raw: UnsafeBufferPointer(rebasing: buffer[rawStart..<rawEnd]), malformation: malformation))
        guard continuation == .resumeAfterOpeningLine,
              let openingLineEnd = buffer[rawStart..<rawEnd].firstIndex(of: Self.lf) else { return next }
        // Read the lines after the opening one again, as records of their own: they are
        // counted again as they are read.
        physicalLines -= lines - 1
        line = recordLine + 1
        return openingLineEnd + 1
    }

    private enum Outcome {
        case needMore
        /// `next`: where the following record starts; `lines`: line ends consumed; `rawEnd`: end of text without the line end.
        case record(next: Int, lines: Int, malformation: String?, rawEnd: Int)
    }

    fileprivate static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    private func parseRecord(from start: Int, atEOF: Bool = false) throws -> Outcome {
        scratch.removeAll()
        fieldCount = 0
        let end = dataEnd
        let bytes = UnsafeBufferPointer(buffer)
        do {
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
                        if byte == Self.lf {
                            lines += 1
                            if lines >= Self.maximumQuotedLines {
                                // A runaway quote: stop here; the consumer rejects the opening line.
                                appendField(fieldStart..<scratch.count)
                                return .record(next: i + 1, lines: lines, malformation: malformation
                                    ?? "a quoted field opened on this line runs on for more than \(Self.maximumQuotedLines) lines (a stray quote?)",
                                    rawEnd: i)
                            }
                        }
                        scratch.append(byte)
                        i += 1
                    }
                    if !closed {
                        if !atEOF { return .needMore }
                        malformation = malformation ?? "a quoted field is never closed"
                        appendField(fieldStart..<scratch.count)
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
                appendField(fieldStart..<scratch.count)
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
