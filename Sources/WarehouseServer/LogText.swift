/// Text from a request made safe for a one-line-per-request log.
enum LogText {
    /// `text` with every control character (C0, DEL, C1) and the backslash written as an escape
    /// (`\n`, `\r`, `\t`, `\\`, `\u{1B}`), so a request cannot forge log lines or send terminal
    /// escape sequences to whoever reads the log.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: result += "\\n"
            case 0x0D: result += "\\r"
            case 0x09: result += "\\t"
            case 0x5C: result += "\\\\"
            case 0x00...0x1F, 0x7F...0x9F: result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
