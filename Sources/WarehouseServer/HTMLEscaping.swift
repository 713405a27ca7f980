/// Escaping for text placed in HTML and in inline SVG.
///
/// Customer names come from the supplier's file: a name such as `<script>alert(1)</script>` must
/// show as text, never become markup. One function covers text nodes and attribute values (double-
/// or single-quoted) alike, so no caller has to know which context it writes into.
/// See https://html.spec.whatwg.org/multipage/parsing.html#escapingString
enum HTMLEscaping {
    static func escape(_ text: String) -> String {
        // Fast path: most names and all numbers need nothing.
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension String {
    /// This text, safe inside HTML or SVG markup (see ``HTMLEscaping``).
    var html: String { HTMLEscaping.escape(self) }
}
