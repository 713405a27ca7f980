/// PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash escapes.
/// See https://www.postgresql.org/docs/15/sql-copy.html ("Text Format").
enum CopyText {
    /// Appends `value` escaped for a COPY text field.
    static func appendEscaped(_ value: String, to out: ByteBuffer) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\\"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            default: out.append(byte)
            }
        }
    }

    @inline(__always) static func appendInt(_ value: Int64, to out: ByteBuffer) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            appendUnsigned(UInt64(-value), to: out)
        } else {
            appendUnsigned(UInt64(value), to: out)
        }
    }

    @inline(__always) static func appendUnsigned(_ value: UInt64, to out: ByteBuffer) {
        var digits = 1
        var probe = value
        while probe >= 10 { probe /= 10; digits += 1 }
        out.withReserved(digits) { pointer in
            var rest = value
            var index = digits - 1
            repeat {
                pointer[index] = UInt8(truncatingIfNeeded: rest % 10) &+ 0x30
                rest /= 10
                index -= 1
            } while index >= 0
            return digits
        }
    }

    /// `1234` cents as `12.34`.
    @inline(__always) static func appendCents(_ cents: Int64, to out: ByteBuffer) {
        appendUnsigned(UInt64(cents / 100), to: out)
        out.append(UInt8(ascii: "."))
        let fraction = UInt8(cents % 100)
        out.append(fraction / 10 + 0x30)
        out.append(fraction % 10 + 0x30)
    }

    @inline(__always) static func appendDate(_ date: CalendarDate, to out: ByteBuffer) {
        let year = date.year
        out.append(UInt8(year / 1000) + 0x30)
        out.append(UInt8(year / 100 % 10) + 0x30)
        out.append(UInt8(year / 10 % 10) + 0x30)
        out.append(UInt8(year % 10) + 0x30)
        out.append(UInt8(ascii: "-"))
        out.append(UInt8(date.month / 10) + 0x30)
        out.append(UInt8(date.month % 10) + 0x30)
        out.append(UInt8(ascii: "-"))
        out.append(UInt8(date.day / 10) + 0x30)
        out.append(UInt8(date.day % 10) + 0x30)
    }

    /// Splits one COPY text row (without its newline) into fields; `nil` for `\N`.
    static func decodeRow(_ bytes: UnsafeRawBufferPointer) -> [String?] {
        var fields: [String?] = []
        var current: [UInt8] = []
        var isNull = false
        var index = 0
        var end = bytes.count
        if end > 0, bytes[end - 1] == 0x0A { end -= 1 }
        while index < end {
            let byte = bytes[index]
            if byte == 0x09 {
                fields.append(isNull ? nil : String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
                isNull = false
            } else if byte == UInt8(ascii: "\\"), index + 1 < end {
                index += 1
                switch bytes[index] {
                case UInt8(ascii: "N"): isNull = true
                case UInt8(ascii: "t"): current.append(0x09)
                case UInt8(ascii: "n"): current.append(0x0A)
                case UInt8(ascii: "r"): current.append(0x0D)
                case UInt8(ascii: "b"): current.append(0x08)
                case UInt8(ascii: "f"): current.append(0x0C)
                case UInt8(ascii: "v"): current.append(0x0B)
                default: current.append(bytes[index])
                }
            } else {
                current.append(byte)
            }
            index += 1
        }
        fields.append(isNull ? nil : String(decoding: current, as: UTF8.self))
        return fields
    }
}
