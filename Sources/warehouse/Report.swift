import ArgumentParser
import Foundation
import WarehouseKit

extension Warehouse {
    struct Report: AsyncParsableCommand, JSONReporting {
        static let configuration = CommandConfiguration(
            abstract: "Print one of the three business reports: total-orders, most-recent-order, top-customers.",
            discussion: """
                total-orders: every customer with the number and value of their orders, most orders first.

                most-recent-order: each customer's latest order (two on the same day: the higher \
                order_id), the most recently active customers first.

                top-customers: customers ranked by the value of their orders in the --days days ending \
                on --as-of, both days included; equal values share a rank.

                The same queries run under psql from sql/analysis/ (see docs/reports.md). An empty \
                result is not an error: it prints the empty report and a message, and exits 0.
                """)

        @OptionGroup var options: GlobalOptions

        @Argument(help: ArgumentHelp(
            "The report: \(ReportKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "report"),
                  transform: Self.parseKind)
        var kind: ReportKind

        @Option(help: ArgumentHelp(
            "top-customers: the last day of the window, YYYY-MM-DD (default: the database's current date).",
            valueName: "date"))
        var asOf: String?

        @Option(help: ArgumentHelp("top-customers: the window's length in days, as-of included (default: 7).", valueName: "n"))
        var days: Int?

        @Option(help: ArgumentHelp(
            "Rows to show, or 'all' (default: 10 for top-customers, all for the others).", valueName: "n|all"))
        var limit: String?

        @Option(help: ArgumentHelp("Output format: table, csv or json (default: table).", valueName: "format"), transform: Self.parseFormat)
        var format: ReportFormat = .table

        /// `--json`: a hidden alias of `--format json`, the spelling every command shares.
        @Flag(name: .customLong("json"), help: .hidden)
        var jsonAlias = false

        var outputFormat: ReportFormat { jsonAlias ? .json : format }
        var wantsJSON: Bool { outputFormat == .json }

        @Option(help: ArgumentHelp(
            "Report the warehouse as it stood right after this load batch committed (see warehouse status).",
            valueName: "batch"))
        var atBatch: Int?

        @Flag(help: "Print the report's psql file (sql/analysis/) instead of running it.")
        var sql = false

        func validate() throws {
            do {
                _ = try request()
            } catch let error as ReportError {
                throw ValidationError(error.description)
            }
        }

        /// The checked request; every rule lives in ``ReportRequest`` so the CLI and tests share it.
        func request() throws -> ReportRequest {
            var date: CivilDate?
            if let asOf {
                guard let parsed = CivilDate(iso: asOf) else { throw ReportError.badDate(asOf) }
                date = parsed
            }
            let rowLimit: ReportRequest.Limit
            switch limit {
            case nil: rowLimit = .default
            case "all"?: rowLimit = .all
            case let text?:
                guard let count = Int(text) else { throw ValidationError("--limit takes a number of rows or 'all', got '\(text)'") }
                rowLimit = .rows(count)
            }
            return try ReportRequest(kind: kind, asOf: date, days: days, limit: rowLimit, atBatch: atBatch)
        }

        func run() async throws {
            if sql {
                print(SQLFiles.analysis(named: kind.analysisFileName) ?? "", terminator: "")
                return
            }
            let connection = try options.connectReady()
            let result = try ReportQuery(try request()).run(on: connection)
            let formatter = ReportFormatter(format: outputFormat)
            print(formatter.render(result), terminator: "")
            if result.rows.isEmpty, !formatter.includesEmptyMessage(result), !options.quiet {
                FileHandle.standardError.write(Data((result.emptyMessage + "\n").utf8))
            }
        }
    }
}

extension Warehouse.Report {
    // Parsed by transform rather than an ExpressibleByArgument conformance: the enums are public
    // WarehouseKit types and ArgumentParser is imported internally here.
    static func parseKind(_ text: String) throws -> ReportKind {
        guard let kind = ReportKind(rawValue: text) else {
            throw ValidationError("unknown report '\(text)'; choose one of \(ReportKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }

    static func parseFormat(_ text: String) throws -> ReportFormat {
        guard let format = ReportFormat(rawValue: text) else {
            throw ValidationError("unknown format '\(text)'; choose one of \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return format
    }
}
