import Foundation

/// What a load writes from the rows it filed by day (``DayLeaderSums``) — the per-day tables'
/// rows, then the block lists — computed on a thread of their own while the load's transaction
/// goes on, each handed over when the load gets to writing it.
///
/// Why: ranking every day and summing the blocks is client work the server waits for when it is
/// done on the load's thread (at 5M orders about 0.1 s for the days and 0.3 s for the blocks).
/// Started as soon as the rows are filed, it runs while the server does work of its own (a first
/// load's dimension step and index builds, a snapshot's merge), which leave a processor idle for
/// part of their time.
///
/// Start it only once no row will be added to the sums: both threads then only read them.
final class BackgroundDayLists: @unchecked Sendable {
    private let perDayFinished = DispatchSemaphore(value: 0)
    private let blocksFinished = DispatchSemaphore(value: 0)
    /// Written by the worker before it signals, read after waiting: the per-day rows are taken
    /// once (they are megabytes at 5M orders and not needed after they are written).
    private var perDayResult: Result<DayLeaderSums.PerDayRows, any Error>?
    private var blocksResult: Result<[BlockLeaderSums.BlockList], any Error>?
    private var perDayTaken = false
    /// The rows filed by day, which this thread may go through too (to write the day customers'
    /// bitmaps when they were too many to hold).
    let sums: DayLeaderSums

    /// - Parameters:
    ///   - dayDepth: how many leaders each day keeps (`reporting.day_leader_depth()`).
    ///   - blockLevels, blockDepth: the block lists' levels and depth (`reporting.block_levels()`,
    ///     `reporting.block_leader_depth()`).
    init(sums: DayLeaderSums, dayDepth: Int, blockLevels: [Int], blockDepth: Int) {
        self.sums = sums
        let input = UncheckedSums(sums: sums)
        let thread = Thread { [self] in
            perDayResult = Result { try input.sums.perDayRows(depth: dayDepth) }
            perDayFinished.signal()
            blocksResult = Result { try input.sums.blockLists(levels: blockLevels, depth: blockDepth) }
            blocksFinished.signal()
        }
        thread.name = "warehouse day lists"
        thread.start()
    }

    /// Waits for the per-day tables' rows (at most once).
    func perDayRows() throws -> DayLeaderSums.PerDayRows {
        precondition(!perDayTaken, "the per-day rows are taken once")
        perDayTaken = true
        perDayFinished.wait()
        defer { perDayResult = nil }
        return try perDayResult!.get()
    }

    /// Waits for the block lists (at most once).
    func blockLists() throws -> [BlockLeaderSums.BlockList] {
        blocksFinished.wait()
        return try blocksResult!.get()
    }

    /// The sums cross to the worker unchanged: nothing writes them any more (see above).
    private struct UncheckedSums: @unchecked Sendable {
        let sums: DayLeaderSums
    }
}
