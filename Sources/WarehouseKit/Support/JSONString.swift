/// JSON string literals (RFC 8259 section 7), written by hand where the output's exact text
/// matters (decimal prices copied as they are, stable key order).
public enum JSONString {
    /// `text` quoted: `"` and `\` escaped, control characters as `\n`, `\t`, … or `\u00XX`.
    /// With `escapingMarkup`, `<` and `>` become `\u003C`/`\u003E`, so a JSON body served over
    /// HTTP can never be read as markup, even by a careless content sniffer.
    public static func quote(_ text: String, escapingMarkup: Bool = false) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<" where escapingMarkup: out += "\\u003C"
            case ">" where escapingMarkup: out += "\\u003E"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
