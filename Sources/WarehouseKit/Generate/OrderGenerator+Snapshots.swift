#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One file of a daily snapshot series.
public struct SnapshotFile: Sendable, Equatable {
    /// The day the supplier delivered it; its orders run up to the day before.
    public var date: CivilDate
    public var path: String
    /// The manifest of lines to reject, when one was written.
    public var manifestPath: String?
    public var summary: GenerateSummary
}

extension OrderGenerator {
    /// The delivery date of snapshot `number` (1-based): the day after `end` for the first.
    public func snapshotDate(number: Int) -> CivilDate {
        options.end.adding(days: number)
    }

    /// Writes snapshot `number` (1-based) of a daily series.
    ///
    /// Snapshot 1 is exactly ``write(to:manifest:)``'s file: the orders of `start...end`.
    /// Snapshot *k* holds every order of snapshot *k − 1*, each new order dated `end + k − 1`
    /// (ids continue), about `changeRate` of the earlier orders changed (price, customer,
    /// date or product) and about `removalRate` of them dropped. Changes and removals persist
    /// into later snapshots. Neither sink is closed.
    public func writeSnapshot(number: Int, to output: any ByteSink, manifest: (any ByteSink)? = nil) throws -> GenerateSummary {
        precondition((1...Self.maximumSnapshots).contains(number), "snapshot number out of range")
        var writer = try OrderFileWriter(
            output: output, manifest: manifest, context: context, seed: options.seed, dirtyRate: options.dirtyRate)
        var orderId = GeneratorOptions.firstOrderId
        var changed = 0
        var removed = 0
        var written = 0
        for _ in 0..<options.orders {
            if number >= 2, isRemoved(orderId: orderId, steps: 2...number) {
                if !isRemoved(orderId: orderId, steps: 2...max(2, number - 1)) || number == 2 { removed += 1 }
                orderId += 1
                continue
            }
            written += 1
            var order = record(orderId: orderId)
            if number >= 2, applyChanges(to: &order, steps: 2...number) { changed += 1 }
            try writer.write(order)
            orderId += 1
        }
        if number >= 2 {
            for dayAfterEnd in 1..<number {
                let day = endOffset + dayAfterEnd
                for _ in 0..<newOrders(dayAfterEnd: dayAfterEnd) {
                    if dayAfterEnd + 2 <= number, isRemoved(orderId: orderId, steps: (dayAfterEnd + 2)...number) {
                        if dayAfterEnd + 2 == number || !isRemoved(orderId: orderId, steps: (dayAfterEnd + 2)...(number - 1)) { removed += 1 }
                        orderId += 1
                        continue
                    }
                    written += 1
                    var order = record(orderId: orderId, day: day)
                    // Orders of day end+i first appear in snapshot i+1; later ones may change them.
                    if dayAfterEnd + 2 <= number, applyChanges(to: &order, steps: (dayAfterEnd + 2)...number) {
                        changed += 1
                    }
                    try writer.write(order)
                    orderId += 1
                }
            }
        }
        var summary = try writer.finish()
        summary.orders = written
        summary.lastOrderId = orderId - 1
        summary.changedOrders = changed
        summary.removedOrders = removed
        return summary
    }

    /// Writes `count` consecutive daily snapshots into `directory` (created if missing) as
    /// `orders_YYYY-MM-DD.csv` (`.csv.gz` with `gzip`), plus `orders_YYYY-MM-DD.manifest.tsv`
    /// beside each when `manifests` is set. `progress` is told each file as it is finished.
    public func writeSnapshots(
        count: Int, directory: String, gzip: Bool = false, manifests: Bool = false,
        progress: (SnapshotFile) -> Void = { _ in }
    ) throws -> [SnapshotFile] {
        precondition((1...Self.maximumSnapshots).contains(count), "snapshot count out of range")
        if mkdir(directory, 0o755) != 0, errno != EEXIST {
            throw OutputError.system(path: directory, operation: "create directory", errno: errno)
        }
        var files: [SnapshotFile] = []
        for number in 1...count {
            let date = snapshotDate(number: number)
            let base = directory.hasSuffix("/") ? "\(directory)orders_\(date)" : "\(directory)/orders_\(date)"
            let path = base + (gzip ? ".csv.gz" : ".csv")
            let manifestPath = manifests ? base + ".manifest.tsv" : nil
            let output = try OutputTarget(path: path).open()
            let manifest = try manifestPath.map { try FileSink(path: $0) }
            let summary = try writeSnapshot(number: number, to: output, manifest: manifest)
            try output.close()
            try manifest?.close()
            let file = SnapshotFile(date: date, path: path, manifestPath: manifestPath, summary: summary)
            progress(file)
            files.append(file)
        }
        return files
    }
}
