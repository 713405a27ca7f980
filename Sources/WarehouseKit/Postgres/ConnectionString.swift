import Foundation

/// Helpers for connection strings: never print a password.
public enum ConnectionString {
    /// Replaces the password of a `postgresql://user:secret@host/db` URL or of a
    /// `password=secret` conninfo pair (and any `password=` query parameter) with `****`.
    ///
    /// In a URL everything between the user name's `:` and the **last** `@` of the authority
    /// (which ends at the first `/`, `?` or `#` after `//`) is the password: one typed with an
    /// unescaped `@` (`wh:Secr3t@Part2@host`) must not show its second part as the host.
    /// A user part with an `@` but no `:` is hidden whole, since nobody can tell where the
    /// user name ends.
    public static func redact(_ text: String) -> String {
        var result = redactURLUserInfo(text)
        // libpq reads such a URL's host as `Part2@host` and quotes it when it cannot connect
        // ("could not translate host name "Part2@host" to address"); no host name holds an `@`.
        if let regex = try? NSRegularExpression(pattern: #"((?:host name|server at|host) ")[^"]*@([^"@]*")"#, options: [.caseInsensitive]) {
            result = regex.stringByReplacingMatches(
                in: result, range: NSRange(result.startIndex..., in: result), withTemplate: "$1****@$2")
        }
        // key=value forms: password=secret, password='se cret', ?password=secret&
        if let regex = try? NSRegularExpression(pattern: #"(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)"#, options: [.caseInsensitive]) {
            result = regex.stringByReplacingMatches(
                in: result, range: NSRange(result.startIndex..., in: result), withTemplate: "$1****")
        }
        return result
    }

    private static let urlScheme = try? NSRegularExpression(pattern: #"postgres(?:ql)?://"#, options: [.caseInsensitive])

    /// The user information of every `postgres[ql]://` URL in `text`, its password hidden.
    private static func redactURLUserInfo(_ text: String) -> String {
        guard let urlScheme else { return text }
        var result = ""
        var copied = text.startIndex
        for match in urlScheme.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let scheme = Range(match.range, in: text), scheme.lowerBound >= copied else { continue }
            let authorityStart = scheme.upperBound
            let authorityEnd = text[authorityStart...].firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? text.endIndex
            guard let lastAt = text[authorityStart..<authorityEnd].lastIndex(of: "@") else { continue }
            let userInfo = text[authorityStart..<lastAt]
            result += text[copied..<authorityStart]
            if let colon = userInfo.firstIndex(of: ":") {
                result += text[authorityStart..<colon] + ":****"
            } else if userInfo.contains("@") {
                result += "****"
            } else {
                result += userInfo
            }
            copied = lastAt
        }
        return result + text[copied...]
    }
}
