import Foundation

/// A load's block lists (``DayLeaderSums/blockLists(levels:depth:)``) computed on a thread of their own
/// while the load's transaction goes on. At 5M orders they are about 0.3 s of work for the
/// processor that the server's own steps (a merge, a first load's index builds) leave idle; on
/// the load's thread they made every snapshot that much slower.
///
/// Start it only once no row will be added to the sums: both threads then only read them.
final class BackgroundBlockLists: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    /// Written by the worker before it signals `finished`, read after waiting for it.
    private var result: Result<[BlockLeaderSums.BlockList], any Error>?

    init(sums: DayLeaderSums, levels: [Int], depth: Int) {
        let input = UncheckedSums(sums: sums)
        let thread = Thread { [self] in
            result = Result { try input.sums.blockLists(levels: levels, depth: depth) }
            finished.signal()
        }
        thread.name = "warehouse block lists"
        thread.start()
    }

    /// Waits for the lists (at most once).
    func lists() throws -> [BlockLeaderSums.BlockList] {
        finished.wait()
        return try result!.get()
    }

    /// The sums cross to the worker unchanged: nothing writes them any more (see above).
    private struct UncheckedSums: @unchecked Sendable {
        let sums: DayLeaderSums
    }
}
