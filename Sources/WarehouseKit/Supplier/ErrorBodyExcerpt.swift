import Foundation

/// What is kept of a server's error text for messages, logs and `ops.load_batches.error`.
///
/// Masking the exact token is not enough: a server may echo it transformed (lower-cased,
/// reversed, cut into a signature), which no exact match catches. So only a short excerpt is
/// kept, on one line, with:
/// - the exact token replaced by `****`;
/// - every run of 16 or more token-like characters (`A-Z a-z 0-9 _ - . + / =`) replaced by
///   `[redacted]`: ordinary words are shorter, while keys, tokens and their variants are not;
/// - control and invisible formatting characters written as `\u{1B}`, so a body cannot move the
///   cursor, colour a terminal or hide text;
/// - at most ``limit`` characters, then `…`.
enum ErrorBodyExcerpt {
    static let limit = 200
    static let longestKeptRun = 15

    static func make(_ text: String, token: SupplierToken?) -> String? {
        let masked = token?.redact(text) ?? text
        let oneLine = masked.split(whereSeparator: { $0.isNewline || $0 == "\t" }).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        guard !oneLine.isEmpty else { return nil }
        let escaped = escapingControlCharacters(redactingLongRuns(oneLine))
        return escaped.count > limit ? String(escaped.prefix(limit)) + "…" : escaped
    }

    private static func redactingLongRuns(_ text: String) -> String {
        var result = ""
        var run = ""
        func endRun() {
            result += run.count > longestKeptRun ? "[redacted]" : run
            run = ""
        }
        for character in text {
            if isTokenLike(character) {
                run.append(character)
            } else {
                endRun()
                result.append(character)
            }
        }
        endRun()
        return result
    }

    private static func isTokenLike(_ character: Character) -> Bool {
        guard character.isASCII, let byte = character.asciiValue else { return false }
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "_-.+/=".utf8.contains(byte)
        }
    }

    private static func escapingControlCharacters(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u{" + String(repeating: "0", count: max(0, 2 - hex.count)) + hex + "}"
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
