import Foundation

/// What a load writes from the rows it filed by day (``DayLeaderSums``) — the per-day tables'
/// rows, then the block lists — computed on a thread of their own while the load's transaction
/// goes on, each handed over when the load gets to writing it.
///
/// Why: ranking every day and summing the blocks is client work the server waits for when it is
/// done on the load's thread (at 5M orders about 0.1 s for the days and 0.3 s for the blocks).
/// The days are ranked as soon as the rows are filed, while the server does work of its own that
/// leaves a processor idle (a first load's dimension step, a snapshot's merge). The block lists
/// wait for ``startBlockLists()``: during a first load's parallel index builds, which take every
/// processor, a thread of ours beside them slowed the builds by more than it saved.
///
/// Start it only once no row will be added to the sums: both threads then only read them.
final class BackgroundDayLists: @unchecked Sendable {
    /// What the worker and the load share; the worker holds this, not the object, so that a load
    /// that gives up before ``startBlockLists()`` releases the worker when it lets go of the object.
    private final class Shared: @unchecked Sendable {
        let perDayFinished = DispatchSemaphore(value: 0)
        let blocksMayStart = DispatchSemaphore(value: 0)
        let blocksFinished = DispatchSemaphore(value: 0)
        /// Written by the worker before it signals, read after waiting.
        var perDayResult: Result<DayLeaderSums.PerDayRows, any Error>?
        var blocksResult: Result<[BlockLeaderSums.BlockList], any Error>?
        /// Written before `blocksMayStart` is signalled, read after the wait.
        var abandoned = false
    }

    private let shared = Shared()
    private var perDayTaken = false
    private var blocksStarted = false
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
        let shared = shared
        let thread = Thread {
            shared.perDayResult = Result { try input.sums.perDayRows(depth: dayDepth) }
            shared.perDayFinished.signal()
            shared.blocksMayStart.wait()
            if !shared.abandoned {
                shared.blocksResult = Result { try input.sums.blockLists(levels: blockLevels, depth: blockDepth) }
            }
            shared.blocksFinished.signal()
        }
        thread.name = "warehouse day lists"
        thread.start()
    }

    deinit {
        if !blocksStarted {
            shared.abandoned = true
            shared.blocksMayStart.signal()
        }
    }

    /// Waits for the per-day tables' rows (at most once).
    func perDayRows() throws -> DayLeaderSums.PerDayRows {
        precondition(!perDayTaken, "the per-day rows are taken once")
        perDayTaken = true
        shared.perDayFinished.wait()
        defer { shared.perDayResult = nil }
        return try shared.perDayResult!.get()
    }

    /// Lets the worker sum the block lists once it has ranked the days (at most once).
    func startBlockLists() {
        guard !blocksStarted else { return }
        blocksStarted = true
        shared.blocksMayStart.signal()
    }

    /// Waits for the block lists (at most once), starting them if they were not.
    func blockLists() throws -> [BlockLeaderSums.BlockList] {
        startBlockLists()
        shared.blocksFinished.wait()
        return try shared.blocksResult!.get()
    }

    /// The sums cross to the worker unchanged: nothing writes them any more (see above).
    private struct UncheckedSums: @unchecked Sendable {
        let sums: DayLeaderSums
    }
}
