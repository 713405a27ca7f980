import ArgumentParser
import Foundation
import WarehouseKit

extension Warehouse {
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate realistic order files in the supplier's CSV format, the same for the same seed.",
            discussion: """
                Writes --orders orders (ids from 100) over --start..--end (default: the 180 days \
                ending 2023-12-09, the sample's range) to -o FILE (gzip when it ends in .gz) or \
                standard output. --dirty-rate R writes a share R of the orders as rows that must be \
                rejected, and another share R with legal oddities that must load; --manifest FILE \
                lists the physical line of each row to reject, a tab, and the reason.

                --snapshots K --out-dir DIR writes K daily full snapshots, DIR/orders_<day>.csv for \
                the K days after --end: the first holds the orders of the range, each next one adds \
                a day of new orders and changes about 0.5% of the earlier ones. With --dirty-rate, \
                each gets its manifest beside it (orders_<day>.manifest.tsv). See docs/generator.md.
                """
        )

        @Option(help: "Number of orders to generate.")
        var orders: Int

        @Option(help: "Size of the customer pool (default: one customer per five orders).")
        var customers: Int?

        @Option(help: "Seed of the generator: the same seed gives the same bytes on every machine.")
        var seed: UInt64 = 42

        @Option(help: ArgumentHelp("First order date, YYYY-MM-DD (default: 179 days before --end).", valueName: "date"))
        var start: String?

        @Option(help: ArgumentHelp("Last order date, YYYY-MM-DD.", valueName: "date"))
        var end: String = "2023-12-09"

        @Option(name: .customLong("dirty-rate"), help: ArgumentHelp(
            "Share of orders written as rows that must be rejected (the same share again gets legal oddities), 0 to 0.5.",
            valueName: "rate"))
        var dirtyRate: Double = 0

        @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
            "File to write (gzip-compressed when it ends in .gz), or - for standard output (the default).",
            valueName: "file"))
        var output: String?

        @Option(help: ArgumentHelp("Also write the lines that must be rejected: line number, tab, reason.", valueName: "file"))
        var manifest: String?

        @Option(help: ArgumentHelp("Write this many consecutive daily snapshots into --out-dir instead of one file.", valueName: "count"))
        var snapshots: Int?

        @Option(name: .customLong("out-dir"), help: ArgumentHelp("Folder for --snapshots (created if missing).", valueName: "dir"))
        var outDir: String?

        @Flag(name: [.short, .long], help: "Do not print the summary on standard error.")
        var quiet = false

        func validate() throws {
            let options = try generatorOptions()
            do {
                try options.validate()
            } catch {
                throw ValidationError(error.message)
            }
            if let snapshots {
                guard (1...OrderGenerator.maximumSnapshots).contains(snapshots) else {
                    throw ValidationError("--snapshots must be between 1 and \(OrderGenerator.maximumSnapshots) (got \(snapshots))")
                }
                guard outDir != nil else { throw ValidationError("--snapshots needs --out-dir") }
                guard output == nil else { throw ValidationError("--snapshots writes into --out-dir; drop -o/--output") }
                guard manifest == nil else {
                    throw ValidationError("--snapshots writes one manifest per snapshot into --out-dir; drop --manifest")
                }
            } else if outDir != nil {
                throw ValidationError("--out-dir is only used with --snapshots")
            }
            if manifest == "-" { throw ValidationError("--manifest needs a file, not standard output") }
        }

        func run() async throws {
            let generator = try OrderGenerator(options: generatorOptions())
            let clock = ContinuousClock()
            let started = clock.now
            if let snapshots, let outDir {
                var rows = 0
                _ = try generator.writeSnapshots(
                    count: snapshots, directory: outDir, manifests: dirtyRate > 0
                ) { file in
                    rows += file.summary.records
                    report("\(file.path): \(describe(file.summary)), \(file.summary.changedOrders) changed, \(file.summary.removedOrders) removed")
                }
                report("wrote \(snapshots) snapshots, \(rows) rows, in \(seconds(since: started, clock))")
                return
            }
            let target = OutputTarget(path: output ?? "-")
            let sink = try target.open()
            let manifestSink = try manifest.map { try FileSink(path: $0) }
            let summary = try generator.write(to: sink, manifest: manifestSink)
            try sink.close()
            try manifestSink?.close()
            let elapsed = clock.now - started
            let rate = Double(summary.records) / max(elapsed / .seconds(1), 1e-9)
            report("\(target): \(describe(summary)) in \(seconds(since: started, clock)) (\(Int(rate)) rows/s)")
        }

        /// The options as the library sees them; throws when a date does not parse.
        private func generatorOptions() throws -> GeneratorOptions {
            guard let endDate = CivilDate(iso: end) else {
                throw ValidationError("--end must be a calendar date, YYYY-MM-DD (got \(end))")
            }
            var startDate: CivilDate?
            if let start {
                guard let parsed = CivilDate(iso: start) else {
                    throw ValidationError("--start must be a calendar date, YYYY-MM-DD (got \(start))")
                }
                startDate = parsed
            }
            return GeneratorOptions(
                orders: orders, customers: customers, seed: seed, start: startDate, end: endDate, dirtyRate: dirtyRate)
        }

        private func describe(_ summary: GenerateSummary) -> String {
            var text = "\(summary.orders) orders, \(summary.records) rows"
            if summary.rejectedRecords > 0 || summary.oddRecords > 0 {
                text += " (\(summary.rejectedRecords) to reject, \(summary.oddRecords) odd but legal)"
            }
            return text
        }

        private func seconds(since start: ContinuousClock.Instant, _ clock: ContinuousClock) -> String {
            let elapsed = (clock.now - start) / .seconds(1)
            return String(format: "%.2f s", elapsed)
        }

        private func report(_ line: String) {
            guard !quiet else { return }
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
