import FlyingFox
import WarehouseKit

/// The query parameters every view and endpoint shares: `as_of`, `days` and `limit`.
///
/// Checked here, before any database work, into typed values (a real calendar day, integers in
/// range); only those typed values are ever bound into SQL, never the request's text.
struct DashboardParameters: Sendable, Equatable {
    /// The last day of the window; `nil` is the database's `current_date`.
    var asOf: CivilDate?
    var days: Int
    var limit: ReportRequest.Limit

    /// Rows a chart shows by default: ten bars read at a glance.
    static let defaultRows = 10
    /// The page draws every row as a bar and a table line; more than this is a download, not a page.
    static let maximumPageRows = 100
    /// The choices offered in the page's selectors (any other valid value still works by URL).
    static let dayChoices = [1, 7, 14, 28, 30, 90, 365]
    static let rowChoices = [5, 10, 20, 50, 100]

    struct Invalid: Error, Sendable, CustomStringConvertible {
        let description: String
    }

    /// - Parameters:
    ///   - allowAll: whether `limit=all` is accepted (downloads and the API; not the page).
    ///   - defaultLimit: the limit when none is given.
    /// - Throws: ``Invalid`` naming the parameter and what it accepts.
    init(query: [HTTPRequest.QueryItem], allowAll: Bool, defaultLimit: ReportRequest.Limit) throws {
        // The first of repeated names wins, as FlyingFox's own lookup does.
        let values = Dictionary(query.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        try self.init(values: values, allowAll: allowAll, defaultLimit: defaultLimit)
    }

    init(values: [String: String], allowAll: Bool, defaultLimit: ReportRequest.Limit) throws {
        // An empty value is what a cleared form field sends: it means "the default".
        func value(_ name: String) -> String? {
            guard let text = values[name], !text.isEmpty else { return nil }
            return text
        }
        if let text = value("as_of") {
            guard let date = CivilDate(iso: text) else {
                throw Invalid(description: "as_of must be a calendar date written YYYY-MM-DD")
            }
            asOf = date
        } else {
            asOf = nil
        }
        if let text = value("days") {
            guard let number = Int(text), ReportRequest.dayRange.contains(number) else {
                throw Invalid(description: "days must be a whole number from \(ReportRequest.dayRange.lowerBound) to \(ReportRequest.dayRange.upperBound)")
            }
            days = number
        } else {
            days = 7
        }
        let maximum = allowAll ? 1_000_000 : Self.maximumPageRows
        switch value("limit") {
        case nil: limit = defaultLimit
        case "all" where allowAll: limit = .all
        case let text?:
            guard let number = Int(text), (1...maximum).contains(number) else {
                throw Invalid(description: "limit must be a whole number from 1 to \(maximum)" + (allowAll ? " or 'all'" : ""))
            }
            limit = .rows(number)
        }
    }

    init(asOf: CivilDate?, days: Int, limit: ReportRequest.Limit) {
        self.asOf = asOf
        self.days = days
        self.limit = limit
    }

    /// The request for one report with the window resolved to a concrete day, so that two
    /// requests on the same day share cached results. Only the weekly report takes a window.
    func reportRequest(_ kind: ReportKind, asOf resolved: CivilDate) throws -> ReportRequest {
        kind.usesWindow
            ? try ReportRequest(kind: kind, asOf: resolved, days: days, limit: limit)
            : try ReportRequest(kind: kind, limit: limit)
    }

    /// The limit as a URL value (`10`, `all`), or nil for the default.
    var limitText: String? {
        switch limit {
        case .default: return nil
        case .all: return "all"
        case .rows(let count): return String(count)
        }
    }
}
