/// Bytes of the CSV syntax, and RFC 4180 escaping for the (rare, slow-path) rows built field
/// by field.
enum CSVField {
    static let comma = UInt8(ascii: ",")
    static let quote = UInt8(ascii: "\"")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    /// `value` as an RFC 4180 quoted field: wrapped in quotes, inner quotes doubled.
    static func appendQuoted<Bytes: Sequence<UInt8>>(_ value: Bytes, to buffer: inout [UInt8]) {
        buffer.append(quote)
        for byte in value {
            buffer.append(byte)
            if byte == quote { buffer.append(quote) }
        }
        buffer.append(quote)
    }

    /// `value` as a field, quoted only when RFC 4180 requires it (comma, quote, CR or LF).
    static func appendEscaped<Bytes: Collection<UInt8>>(_ value: Bytes, to buffer: inout [UInt8]) {
        if value.contains(where: { $0 == comma || $0 == quote || $0 == newline || $0 == carriageReturn }) {
            appendQuoted(value, to: &buffer)
        } else {
            buffer.append(contentsOf: value)
        }
    }
}
