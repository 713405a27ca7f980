/// Splits rows of PostgreSQL's COPY text format into fields, undoing its escapes.
///
/// The format (https://www.postgresql.org/docs/15/sql-copy.html#id-1.9.3.55.9.2): one row per
/// line ending in `\n`, fields separated by a tab, `\N` alone for NULL, and inside a field a
/// backslash escapes the delimiter and control characters: `\t \n \r \b \f \v \\`, `\ooo` (octal),
/// `\xhh` (hex), and `\c` for any other character c. PostgreSQL itself only writes the letter
/// escapes and `\\`; the rest are read for completeness.
///
/// Fields without a backslash (nearly all) are handed out as slices of the row, with no copy;
/// escaped ones are decoded into one reused scratch buffer, so a row allocates nothing.
struct CopyTextDecoder {
    fileprivate enum Field {
        case null
        /// Bytes of the row itself.
        case raw(start: Int, count: Int)
        /// Bytes of ``scratch``, after unescaping.
        case decoded(start: Int, count: Int)
    }

    private var fields: [Field] = []
    private var scratch: [UInt8] = []

    init() {
        fields.reserveCapacity(16)
        scratch.reserveCapacity(1024)
    }

    /// Splits `row` (one line as PostgreSQL sent it) and hands its fields to `body`; the
    /// ``CopyTextRow`` is valid only inside `body`.
    /// - Throws: ``ExportError`` when the line is not COPY text (no final newline, bad escape).
    mutating func decode<R>(_ row: UnsafeRawBufferPointer, _ body: (CopyTextRow) throws -> R) throws -> R {
        try split(row)
        return try scratch.withUnsafeBytes { scratchBytes in
            try body(CopyTextRow(row: row, scratch: scratchBytes, fields: fields))
        }
    }

    private mutating func split(_ row: UnsafeRawBufferPointer) throws {
        fields.removeAll(keepingCapacity: true)
        scratch.removeAll(keepingCapacity: true)
        guard let last = row.last, last == UInt8(ascii: "\n") else {
            throw ExportError.malformedCopyRow("the line does not end with a newline")
        }
        let end = row.count - 1
        var start = 0
        var index = 0
        var escaped = false
        while index <= end {
            let byte = row[index]
            if byte == UInt8(ascii: "\t") || index == end {
                try finishField(row, start: start, end: index, escaped: escaped)
                start = index + 1
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
                // The escaped byte is never a delimiter; a backslash right before the newline
                // is left for finishField to refuse.
                if index + 1 < end { index += 1 }
            }
            index += 1
        }
    }

    private mutating func finishField(_ row: UnsafeRawBufferPointer, start: Int, end: Int, escaped: Bool) throws {
        guard escaped else {
            fields.append(.raw(start: start, count: end - start))
            return
        }
        if end - start == 2, row[start + 1] == UInt8(ascii: "N") {
            fields.append(.null)
            return
        }
        let decodedStart = scratch.count
        var index = start
        while index < end {
            let byte = row[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                scratch.append(byte)
                continue
            }
            guard index < end else { throw ExportError.malformedCopyRow("a field ends with a lone backslash") }
            let code = row[index]
            index += 1
            switch code {
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "v"): scratch.append(0x0B)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(code - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, index < end, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(row[index]) {
                    value = value * 8 + Int(row[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                scratch.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "x") where index < end && Self.hexValue(row[index]) != nil:
                var value = Int(Self.hexValue(row[index])!)
                index += 1
                if index < end, let low = Self.hexValue(row[index]) {
                    value = value * 16 + Int(low)
                    index += 1
                }
                scratch.append(UInt8(value))
            default:
                // `\\`, and any other escaped character, stands for itself.
                scratch.append(code)
            }
        }
        fields.append(.decoded(start: decodedStart, count: scratch.count - decodedStart))
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The fields of one decoded row; borrowed pointers, valid only inside ``decode(_:_:)``.
    struct CopyTextRow {
        fileprivate let row: UnsafeRawBufferPointer
        fileprivate let scratch: UnsafeRawBufferPointer
        fileprivate let fields: [Field]

        var count: Int { fields.count }

        /// The field's UTF-8 bytes, or `nil` for SQL NULL.
        subscript(_ index: Int) -> UnsafeRawBufferPointer? {
            switch fields[index] {
            case .null: return nil
            case .raw(let start, let count): return UnsafeRawBufferPointer(rebasing: row[start..<start + count])
            case .decoded(let start, let count): return UnsafeRawBufferPointer(rebasing: scratch[start..<start + count])
            }
        }

        /// The field as a `String`, `nil` for NULL: for tests and messages, not the hot path.
        func string(_ index: Int) -> String? {
            self[index].map { String(decoding: $0, as: UTF8.self) }
        }
    }
}
