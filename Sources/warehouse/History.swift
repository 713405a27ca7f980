import ArgumentParser
import Foundation
import WarehouseKit

extension Warehouse {
    struct History: AsyncParsableCommand, JSONReporting {
        static let configuration = CommandConfiguration(
            abstract: "Print every version an order has had, oldest first, with the loads that made and ended each.",
            discussion: """
                A version is made by the load that inserted, changed or restored the order, and ended by \
                the load that replaced it (replaced) or whose full snapshot no longer listed it (removed); \
                the current version has no end. Orders never loaded are named on standard error.
                """)

        @OptionGroup var options: GlobalOptions

        @Argument(help: ArgumentHelp("One or more order ids.", valueName: "order-id"))
        var orderIDs: [Int64]

        @Option(help: ArgumentHelp("Output format: table, csv or json (default: table).", valueName: "format"),
                transform: Warehouse.Report.parseFormat)
        var format: ReportFormat = .table

        /// `--json`: a hidden alias of `--format json`, the spelling every command shares.
        @Flag(name: .customLong("json"), help: .hidden)
        var jsonAlias = false

        var outputFormat: ReportFormat { jsonAlias ? .json : format }
        var wantsJSON: Bool { outputFormat == .json }

        func validate() throws {
            if let bad = orderIDs.first(where: { $0 < 1 }) { throw ValidationError("order ids are 1 or more, got \(bad)") }
        }

        func run() async throws {
            let connection = try options.connectReady()
            let rows = try OrderHistory.versions(of: orderIDs, on: connection)
            let title = "History of order\(orderIDs.count == 1 ? "" : "s") \(orderIDs.map(String.init).joined(separator: ", "))"
            print(ReportFormatter(format: outputFormat).render(title: title, columns: OrderHistory.columns, rows: rows,
                                                         emptyMessage: "No such order was ever loaded."), terminator: "")
            let found = Set(rows.compactMap { $0.first ?? nil })
            let unknown = orderIDs.filter { !found.contains(String($0)) }
            if !unknown.isEmpty, !options.quiet {
                FileHandle.standardError.write(Data("never loaded: \(unknown.map(String.init).joined(separator: ", "))\n".utf8))
            }
        }
    }
}
