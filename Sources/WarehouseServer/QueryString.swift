import Foundation

/// Builds `?name=value&…` for links, percent-encoding each value.
///
/// The values are validated ones (dates, numbers, report names), but they are encoded anyway so
/// that a link can never carry markup or a second parameter; the result still goes through
/// ``HTMLEscaping`` when placed in an `href`.
enum QueryString {
    static func make(_ items: [(String, String?)]) -> String {
        let pairs = items.compactMap { name, value in value.map { "\(name)=\(encode($0))" } }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }

    /// RFC 3986's unreserved characters, ASCII only.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
