import ArgumentParser
import Testing
@testable import warehouse
import WarehouseKit
import WarehouseTestSupport

/// `warehouse report` at the parse level: what is accepted, and what is refused before any
/// connection is made.
@Suite("Report: command-line parsing", .blockingWork)
struct ReportCommandParseTests {
    func parse(_ arguments: [String]) throws -> Warehouse.Report {
        let command = try Warehouse.parseAsRoot(["report"] + arguments)
        return try #require(command as? Warehouse.Report)
    }

    /// The message ArgumentParser would print for `arguments`, or nil when they parse.
    func refusal(_ arguments: [String]) -> String? {
        do {
            _ = try Warehouse.parseAsRoot(["report"] + arguments)
            return nil
        } catch {
            return Warehouse.message(for: error)
        }
    }

    @Test("options parse into a request")
    func accepted() throws {
        let command = try parse(["top-customers", "--as-of", "2023-12-10", "--days", "14", "--limit", "5", "--format", "json"])
        #expect(command.kind == .topCustomers && command.format == .json)
        let request = try command.request()
        #expect(request.asOf?.description == "2023-12-10" && request.days == 14 && request.rowLimit == 5)

        #expect(try parse(["total-orders"]).request().rowLimit == nil)
        #expect(try parse(["top-customers"]).request().rowLimit == 10)
        #expect(try parse(["top-customers", "--limit", "all"]).request().rowLimit == nil)
        #expect(try parse(["most-recent-order", "--format", "csv"]).format == .csv)
    }

    @Test("a bad --as-of is refused", arguments: ["2023-02-29", "2023-13-01", "2023-12-1", "10/12/2023", "today", ""])
    func badAsOf(_ value: String) {
        #expect(refusal(["top-customers", "--as-of", value])?.contains("--as-of takes a calendar date as YYYY-MM-DD") == true)
    }

    @Test("--days must be 1 or more (and not absurd)", arguments: ["0", "-1", "36526"])
    func badDays(_ value: String) {
        // `--days=-1`: a separate "-1" would read as an option.
        #expect(refusal(["top-customers", "--days=\(value)"])?.contains("--days must be between 1 and 36525") == true)
    }

    @Test("other refusals: limit, report name, format, window options on reports without a window")
    func otherRefusals() {
        #expect(refusal(["top-customers", "--days", "seven"]) != nil)
        #expect(refusal(["top-customers", "--limit", "0"])?.contains("--limit must be a positive number") == true)
        #expect(refusal(["top-customers", "--limit", "ten"])?.contains("--limit takes a number of rows or 'all'") == true)
        #expect(refusal(["top-clients"])?.contains("unknown report 'top-clients'") == true)
        #expect(refusal(["top-customers", "--format", "xml"])?.contains("unknown format 'xml'") == true)
        #expect(refusal(["total-orders", "--as-of", "2023-12-10"])?.contains("apply to top-customers only") == true)
        #expect(refusal(["most-recent-order", "--days", "7"])?.contains("apply to top-customers only") == true)
        #expect(refusal([]) != nil)
    }
}
