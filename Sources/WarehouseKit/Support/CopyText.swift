/// Writing PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash escapes
/// (``CopyTextDecoder`` reads it).
/// See https://www.postgresql.org/docs/15/sql-copy.html ("Text Format").
enum CopyText {
    /// Appends `value` escaped for a COPY text field.
    static func appendEscaped(_ value: String, to out: ByteBuffer) {
        var value = value
        value.withUTF8 { appendEscaped(UnsafeRawBufferPointer($0), to: out) }
    }

    /// Appends the UTF-8 `bytes` escaped for a COPY text field.
    static func appendEscaped(_ bytes: UnsafeRawBufferPointer, to out: ByteBuffer) {
        for byte in bytes {
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

    @inline(__always) static func appendDate(_ date: CivilDate, to out: ByteBuffer) {
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
}
