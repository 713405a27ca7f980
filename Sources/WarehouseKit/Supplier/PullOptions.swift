public import Foundation

/// How `warehouse pull` fetches and loads.
public struct PullOptions: Sendable {
    /// Ignore the high-water mark, fetch everything, and load it as a full snapshot (with the
    /// snapshot's missing count and shrink guard) instead of as incremental changes.
    public var full = false
    /// `limit` per page; the server may return fewer.
    public var pageSize = 1000
    /// A pull of more pages than this is refused as a runaway (a server that never ends).
    public var maximumPages = 100_000
    public var timeouts = SupplierClient.Timeouts()
    public var retry = RetryPolicy()
    /// As for `warehouse ingest`: the share or count of rejected rows that refuses the pull.
    public var maxRejects: RejectLimit = .default
    /// With `full`: accept a snapshot that lacks more than 5% of the known orders.
    public var allowShrink = false
    /// Called inside the load's transaction, after the mark moved and just before commit;
    /// a test's failure injection point.
    public var beforeCommit: (@Sendable () throws -> Void)?
    /// The clock that dates the pull's start (tests pin it, so nothing depends on today's date).
    public var now: @Sendable () -> Date = { Date() }
    /// How far past the pull's start an order's `updated_at` may be (clocks differ a little);
    /// an order dated later is rejected, and the high-water mark never goes past this point.
    public var futureTolerance: Duration = .seconds(24 * 3600)
    /// The load's progress, for a progress bar.
    public var progress: (@Sendable (IngestProgress) -> Void)?

    public init() {}
}
