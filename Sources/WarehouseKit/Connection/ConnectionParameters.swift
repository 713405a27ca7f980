internal import CLibPQ
import Foundation

/// A connection target as libpq's keywords (`host`, `port`, `user`, `dbname`, …), parsed from
/// and written back to either form libpq accepts: a URL or a `key=value` conninfo string.
///
/// Parsing goes through libpq's own `PQconninfoParse`, so every form libpq understands
/// (URLs with query parameters, quoted values, IPv6 hosts) is read exactly as libpq reads it.
/// Writing never loses a value, so a password kept here ends up in ``conninfo`` and ``url``:
/// pass those to libpq, and anything printed through ``ConnectionString/redact(_:)``.
public struct ConnectionParameters: Sendable, Equatable {
    /// Keyword/value pairs in libpq's keyword order; only the ones that were set.
    public private(set) var values: [(keyword: String, value: String)]

    /// Equal when they set the same keywords to the same values, in whatever order.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.dictionary == rhs.dictionary
    }

    public var dictionary: [String: String] {
        Dictionary(values.map { ($0.keyword, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    public init(_ values: [(keyword: String, value: String)]) { self.values = values }

    /// - Throws: ``PostgresError`` `.connection` with libpq's message when the string is malformed.
    public init(parsing text: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(text, &errorMessage) else {
            let message = errorMessage.map { String(cString: $0) } ?? "out of memory"
            if let errorMessage { PQfreemem(errorMessage) }
            throw PostgresError(.connection, message: "invalid connection string: \(ConnectionString.redact(message))")
        }
        defer { PQconninfoFree(options) }
        var values: [(String, String)] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { values.append((String(cString: keyword), String(cString: value))) }
            option += 1
        }
        self.values = values
    }

    public subscript(_ keyword: String) -> String? {
        get { values.first { $0.keyword == keyword }?.value }
        set {
            if let index = values.firstIndex(where: { $0.keyword == keyword }) {
                if let newValue { values[index].value = newValue } else { values.remove(at: index) }
            } else if let newValue {
                values.append((keyword, newValue))
            }
        }
    }

    /// The same target, another database.
    public func with(database: String) -> ConnectionParameters {
        var copy = self
        copy["dbname"] = database
        return copy
    }

    /// `key='value' …`, values quoted as libpq expects (backslash before `'` and `\`).
    public var conninfo: String {
        values.map { keyword, value in
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            return "\(keyword)='\(escaped)'"
        }.joined(separator: " ")
    }

    /// `postgresql:///dbname?host=…&user=…`: every keyword but the database as a query
    /// parameter, which libpq accepts and which keeps unix-socket folders readable for psql.
    public var url: String {
        let database = self["dbname"].map { Self.percentEncode($0) } ?? ""
        let query = values.filter { $0.keyword != "dbname" }
            .map { "\($0.keyword)=\(Self.percentEncode($0.value, keepSlash: true))" }
        return "postgresql:///" + database + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    static func percentEncode(_ text: String, keepSlash: Bool = false) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        if keepSlash { allowed.insert("/") }
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
