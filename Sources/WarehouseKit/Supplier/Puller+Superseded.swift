import Foundation
import Logging

extension Puller {
    /// An order that changes while a pull is paging (the contract pages by `updated_at`) comes
    /// twice: its old version on an earlier page, its new one later. Ingest would reject both
    /// as ambiguous, and the next pull, asking from the mark on, might not see the order again:
    /// it would be lost. So for each order id that came more than once, the version with the
    /// latest `updated_at` (the later one on a tie) is kept, and the landing CSV is rewritten
    /// from the landed pages. Rare, so two more reads of the pages cost nothing that matters,
    /// and memory stays bounded by the repeated ids, not by the pull.
    /// Orders `future` refuses were left out of the CSV, and stay out.
    /// - Returns: how many older versions were left out, and the new CSV's physical lines.
    func keepLatestVersions(of repeated: Set<Int64>, files: LandingArea.Pull, pages: Int,
                            future: FutureTimestampGuard) throws -> (superseded: Int, lines: Int) {
        var winners: [Int64: (updatedAt: SupplierTimestamp, occurrence: Int)] = [:]
        var occurrences: [Int64: Int] = [:]
        try forEachLandedOrder(files: files, pages: pages) { order in
            guard future.accepts(order), let id = order.integerID, repeated.contains(id) else { return }
            let occurrence = occurrences[id, default: 0]
            occurrences[id] = occurrence + 1
            if let winner = winners[id], winner.updatedAt > order.updatedAt { return }
            winners[id] = (order.updatedAt, occurrence)
        }

        let writer = try LandingCSVWriter(url: files.partialURL)
        var superseded = 0
        occurrences = [:]
        try forEachLandedOrder(files: files, pages: pages) { order in
            guard future.accepts(order) else { return }
            if let id = order.integerID, repeated.contains(id) {
                let occurrence = occurrences[id, default: 0]
                occurrences[id] = occurrence + 1
                guard winners[id]?.occurrence == occurrence else {
                    superseded += 1
                    return
                }
            }
            try writer.write(order)
        }
        try writer.finish()
        if superseded > 0 {
            logger.info("\(superseded) order(s) changed during the pull: only their latest version is loaded")
        }
        return (superseded, writer.lines)
    }

    private func forEachLandedOrder(files: LandingArea.Pull, pages: Int, _ body: (SupplierOrder) throws -> Void) throws {
        for number in 1...pages {
            let data: Data
            do {
                data = try Data(contentsOf: files.pageURL(number))
            } catch {
                throw SupplierError(.landing, "cannot re-read \(files.pageURL(number).path): \(error.localizedDescription)")
            }
            for order in try OrdersPage.decode(data, page: number).orders { try body(order) }
        }
    }
}
