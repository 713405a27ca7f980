import Foundation

/// Helpers for connection strings: never print a password.
public enum ConnectionString {
    /// Replaces the password of a `postgresql://user:secret@host/db` URL or of a
    /// `password=secret` conninfo pair (and any `password=` query parameter) with `****`.
    public static func redact(_ text: String) -> String {
        var result = text
        // URL userinfo: scheme://user:password@
        if let regex = try? NSRegularExpression(pattern: #"(postgres(?:ql)?://[^:/@\s]*:)([^@\s]*)(@)"#) {
            result = regex.stringByReplacingMatches(
                in: result, range: NSRange(result.startIndex..., in: result), withTemplate: "$1****$3")
        }
        // key=value forms: password=secret, password='se cret', ?password=secret&
        if let regex = try? NSRegularExpression(pattern: #"(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)"#, options: [.caseInsensitive]) {
            result = regex.stringByReplacingMatches(
                in: result, range: NSRange(result.startIndex..., in: result), withTemplate: "$1****")
        }
        return result
    }
}
