import ArgumentParser
import Foundation
import WarehouseKit

extension Warehouse {
    struct ExportSQLite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-sqlite",
            abstract: "Write the warehouse and its three reports into a SQLite file (application.db).",
            discussion: """
                Copies dim_customers, dim_products, dim_dates and fact_orders, plus the reports \
                total_orders_per_customer, most_recent_order_per_customer and top_customers_last_week \
                (the 7 days ending on --as-of), from one consistent snapshot. When PATH is an \
                application.db this build made from the same database, only what the loads since its \
                batch changed is written, in one SQLite transaction on PATH (incremental). Otherwise, \
                or with --full or --at-batch, a new file is built under a temporary name beside PATH \
                and renamed over it (full). Either way a failed export leaves PATH as it was. PATH \
                must be new or a regular file; a symbolic link to a regular file is followed and its \
                target written; a device, FIFO, socket, directory or dangling link is refused. \
                Layout, types and the choices: docs/export.md.
                """)

        @OptionGroup var options: GlobalOptions

        @Argument(help: ArgumentHelp("The SQLite file to write; replaced if it is a regular file.", valueName: "path"))
        var path: String

        @Option(name: .customLong("as-of"), help: ArgumentHelp(
            "The last day of the weekly report's window, YYYY-MM-DD (default: today, on the database server).",
            valueName: "date"))
        var asOf: String?

        @Option(help: ArgumentHelp(
            "Export the warehouse as it stood right after this load batch committed (see warehouse status).",
            valueName: "batch"))
        var atBatch: Int?

        @Flag(help: "Build a new file even when PATH could be brought up to date incrementally.")
        var full = false

        @Flag(help: "Print the summary as JSON on standard output.")
        var json = false

        func validate() throws {
            if let atBatch, atBatch < 1 { throw ValidationError("--at-batch takes a batch id (1 or more), got \(atBatch)") }
            if let asOf, CivilDate(iso: asOf) == nil {
                throw ValidationError("--as-of must be a real date written YYYY-MM-DD, not \"\(asOf)\"")
            }
            if path.isEmpty { throw ValidationError("the path must not be empty") }
        }

        func run() async throws {
            // PATH first: a device, FIFO, socket, directory or bad link is refused before any
            // connection is made (the exporter checks again, and once more before its rename).
            _ = try ExportDestination(resolving: URL(fileURLWithPath: path))
            let connection = try options.connectReady()
            var exporter = SQLiteExporter(
                connection: connection, destination: URL(fileURLWithPath: path), asOf: asOf,
                sourceDescription: options.settings.exportSourceDescription)
            exporter.atBatch = atBatch
            exporter.allowIncremental = !full
            let summary = try exporter.run { table in
                guard !options.quiet, !json else { return }
                print(Self.line(for: table))
            }
            print(json ? try summary.jsonText() : Self.lastLine(summary, path: path, atBatch: atBatch))
        }

        /// One table's line: its rows, and for an incremental export what changed.
        static func line(for table: SQLiteExportSummary.Table) -> String {
            var text = table.name.padding(toLength: 32, withPad: " ", startingAt: 0)
                + grouped(table.rows).leftPadded(to: 12) + " rows"
            if table.inserted != table.rows || table.updated > 0 || table.deleted > 0 {
                text += "  +\(grouped(table.inserted)) ~\(grouped(table.updated)) -\(grouped(table.deleted))"
            }
            return text + String(format: "%9.2f s", table.seconds)
        }

        static func lastLine(_ summary: SQLiteExportSummary, path: String, atBatch: Int?) -> String {
            let batch = atBatch.map { "as it stood after batch \($0)" } ?? summary.lastBatchID.map { "last batch \($0)" } ?? "no load yet"
            let written = summary.throughLink == nil ? path : "\(summary.path) through the symbolic link \(path)"
            let seconds = String(format: "%.2f", summary.seconds)
            switch summary.kind {
            case .incremental:
                let changed = summary.tables.reduce(0) { $0 + $1.inserted + $1.updated + $1.deleted }
                return """
                    Updated \(written) in place (incremental since batch \(summary.sinceBatchID ?? 0): \
                    \(grouped(changed)) rows written or deleted, \(megabytes(summary.fileBytes))) in \(seconds) s: \
                    as of \(summary.asOf), snapshot \(summary.exportedAt), \(batch).
                    """
            case .full:
                return """
                    Wrote \(written) (full export: \(summary.fullReason ?? "requested"); \(megabytes(summary.fileBytes))) \
                    in \(seconds) s: as of \(summary.asOf), snapshot \(summary.exportedAt), \(batch).
                    """
            }
        }

        static func grouped(_ count: Int) -> String {
            let digits = String(count)
            var result = ""
            for (offset, digit) in digits.enumerated() {
                if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
                result.append(digit)
            }
            return result
        }

        static func megabytes(_ bytes: Int64) -> String {
            String(format: "%.1f MB", Double(bytes) / 1_000_000)
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
