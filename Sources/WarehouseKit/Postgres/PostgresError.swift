import Foundation
import Synchronization

/// An error from PostgreSQL or from libpq.
///
/// Carries what a person needs at 3 a.m.: the server's SQLSTATE, message, detail, hint and
/// constraint, and the SQL text that failed (never its bound values, never a connection string).
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// Could not connect, or the connection broke.
        case connection
        /// The server rejected a statement.
        case server
        /// A COPY stream failed.
        case copy
        /// A result did not have the shape the caller expected.
        case protocolViolation
    }

    public var kind: Kind
    public var message: String
    public var sqlState: String?
    public var detail: String?
    public var hint: String?
    public var constraint: String?
    /// The statement's text as written, with `$n` placeholders; bound values are never kept.
    public var query: String?

    public init(
        _ kind: Kind, message: String, sqlState: String? = nil, detail: String? = nil,
        hint: String? = nil, constraint: String? = nil, query: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.query = query
    }

    /// `23505` unique violation, `40P01` deadlock, `57014` query cancelled, …
    public var isUniqueViolation: Bool { sqlState == "23505" }

    /// Whether ``description`` shows the server's DETAIL. It is off by default because DETAIL
    /// quotes row data ("Key (customer_name)=(…) already exists"), and error text ends up in
    /// logs, mails and tickets; `--verbose` turns it on for the person debugging.
    public static var showsDetail: Bool {
        get { detailShown.load(ordering: .relaxed) }
        set { detailShown.store(newValue, ordering: .relaxed) }
    }
    private static let detailShown = Atomic(false)

    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail, !detail.isEmpty {
            text += Self.showsDetail ? "\nDETAIL: \(detail)" : "\nDETAIL: withheld, as it may quote row data (--verbose shows it)"
        }
        if let hint, !hint.isEmpty { text += "\nHINT: \(hint)" }
        if let constraint { text += "\nCONSTRAINT: \(constraint)" }
        if let query {
            let oneLine = query.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .joined(separator: " ")
            let shown = oneLine.count > 300 ? String(oneLine.prefix(300)) + "…" : oneLine
            text += "\nQUERY: \(shown)"
        }
        return text
    }
}

