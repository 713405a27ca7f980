import FlyingFox
import WarehouseKit

/// The JSON endpoints: `/api/summary`, `/api/trend` and `/api/reports/{report}`. They take the page's
/// parameters (`as_of`, `days`, `limit`; `limit=all` allowed) and answer what the page shows.
struct APIHandlers: Sendable {
    let data: DashboardData

    /// Headline figures, the last load and staleness.
    func summary(_ request: HTTPRequest) async throws -> HTTPResponse {
        let parameters = try DashboardParameters(query: request.query, allowAll: true, defaultLimit: .default)
        let status = try await data.status()
        let asOf = parameters.asOf ?? status.today
        let figures = try await data.headline(asOf: asOf, days: parameters.days, status: status)
        func figure(_ value: HeadlineFigures.Figure) -> JSONValue {
            .object([("current", .number(value.current)), ("previous", .number(value.previous)),
                     ("change_percent", Self.changePercent(value).map(JSONValue.number) ?? .null)])
        }
        return DashboardResponse.json(.object([
            ("as_of", .string(asOf.description)),
            ("days", .int(parameters.days)),
            ("window", Self.window(figures.window)),
            ("previous_window", Self.window(figures.previousWindow)),
            ("orders", figure(figures.orders)),
            ("customers", figure(figures.customers)),
            ("revenue", figure(figures.revenue)),
            ("latest_order_date", .optionalString(status.latestOrderDate)),
            ("last_load", status.lastSuccess.map(Self.load) ?? .null),
            ("last_confirmed_at", .optionalString(status.lastConfirmation?.finishedAt)),
            ("failed_load_since", status.failureSinceConfirmation.map(Self.load) ?? .null),
            ("stale", .bool(status.isStale)),
            ("stale_after_seconds", .int(Int(status.staleAfterSeconds))),
            ("data_version", .int(status.dataVersion)),
        ]))
    }

    /// Orders and revenue for each of the 90 days ending on `as_of` (default: today), oldest
    /// first, zeros included: the data of the page's trend charts.
    func trend(_ request: HTTPRequest) async throws -> HTTPResponse {
        let parameters = try DashboardParameters(query: request.query, allowAll: true, defaultLimit: .default)
        let status = try await data.status()
        let asOf = parameters.asOf ?? status.today
        let days = try await data.trend(asOf: asOf, status: status)
        return DashboardResponse.json(.object([
            ("as_of", .string(asOf.description)),
            ("days", .array(days.map { day in
                .object([("date", .string(day.date.description)), ("orders", .int(day.orders)), ("revenue", .number(day.revenue))])
            })),
        ]))
    }

    /// One report's rows, typed as `warehouse report --format json` types them.
    /// Ten rows unless `limit` says otherwise: the per-customer reports hold a row per customer
    /// (a million at 5M orders), too many for an unasked-for default.
    func report(_ kind: ReportKind, _ request: HTTPRequest) async throws -> HTTPResponse {
        let parameters = try DashboardParameters(
            query: request.query, allowAll: true, defaultLimit: .rows(DashboardParameters.defaultRows))
        let status = try await data.status()
        let result = try await data.report(
            try parameters.reportRequest(kind, asOf: parameters.asOf ?? status.today), status: status)
        let columns = result.columns.map { column in
            JSONValue.object([("name", .string(column.name)), ("type", .string(Self.typeName(column.type)))])
        }
        return DashboardResponse.json(.object([
            ("report", .string(kind.rawValue)),
            ("title", .string(result.title)),
            ("window", result.window.map(Self.window) ?? .null),
            ("row_count", .int(result.rows.count)),
            ("truncated", .bool(result.isTruncated)),
            ("limit_splits_tie", .bool(result.limitSplitsTie)),
            ("columns", .array(columns)),
            ("rows", .raw(ReportFormatter(format: .json).render(result))),
        ]))
    }

    static func window(_ window: ReportWindow) -> JSONValue {
        .object([("start", .string(window.start)), ("end", .string(window.end)), ("days", .int(window.days))])
    }

    static func load(_ load: LoadRecord) -> JSONValue {
        .object([
            ("batch_id", .int(load.batchID)), ("status", .string(load.status)), ("source", .string(load.source)),
            ("source_kind", .string(load.sourceKind)), ("finished_at", .string(load.finishedAt)),
            ("age_seconds", .int(Int(load.ageSeconds))),
            ("rows_read", load.rowsRead.map(JSONValue.int) ?? .null),
            ("rows_inserted", load.inserted.map(JSONValue.int) ?? .null),
            ("rows_updated", load.updated.map(JSONValue.int) ?? .null),
            ("rows_unchanged", load.unchanged.map(JSONValue.int) ?? .null),
            ("rows_rejected", load.rejected.map(JSONValue.int) ?? .null),
            ("rows_missing", load.missing.map(JSONValue.int) ?? .null),
            ("error", .optionalString(load.error)),
        ])
    }

    /// The change in percent with one decimal (`12.5`, `-3.0`); nil when the previous value is 0.
    static func changePercent(_ figure: HeadlineFigures.Figure) -> String? {
        guard let now = Double(figure.current), let before = Double(figure.previous), before != 0 else { return nil }
        let tenths = Int(((now - before) / before * 1_000).rounded())
        return (tenths < 0 ? "-" : "") + DisplayNumber.format1(Double(abs(tenths)) / 10)
    }

    static func typeName(_ type: ReportColumn.ValueType) -> String {
        switch type {
        case .text: return "text"
        case .integer: return "integer"
        case .decimal: return "decimal"
        case .date: return "date"
        }
    }
}
