import FlyingFox
import WarehouseKit

/// `GET /reports/{report}.csv`: one report as a spreadsheet-safe download (see ``CSVExport``).
/// Every row by default (`limit=all`); `as_of` and `days` as on the page.
struct CSVDownloadHandler: Sendable {
    let data: DashboardData

    func handle(_ kind: ReportKind, _ request: HTTPRequest) async throws -> HTTPResponse {
        let parameters = try DashboardParameters(query: request.query, allowAll: true, defaultLimit: .all)
        let status = try await data.status()
        let result = try await data.report(
            try parameters.reportRequest(kind, asOf: parameters.asOf ?? status.today), status: status)
        return DashboardResponse.csv(CSVExport.render(result), fileName: CSVExport.fileName(for: result))
    }
}
