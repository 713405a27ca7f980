import WarehouseKit

/// What the dashboard must know fresh on every request: the database's date, the loads, and
/// whether the data is stale. Cheap (a few index lookups on small tables), so never cached.
struct WarehouseStatus: Sendable {
    /// The database's `current_date`: the as-of day when the request names none.
    let today: CivilDate
    /// The newest load that succeeded: it committed together with the data it changed.
    let lastSuccess: LoadRecord?
    /// The newest load that succeeded or found the supplier's file identical to one already loaded:
    /// either way the warehouse matched the supplier's data at that moment.
    let lastConfirmation: LoadRecord?
    /// The newest failed load, kept only when it is newer than ``lastConfirmation``.
    let failureSinceConfirmation: LoadRecord?
    /// A supplier whose latest pulls failed (the API down, a refused token), when there is one.
    var failingPull: PullHealthStore.Entry? = nil
    /// The day of the newest order in the warehouse (nil when empty).
    let latestOrderDate: String?
    /// Data older than this many seconds is flagged stale.
    let staleAfterSeconds: Double

    /// Changes exactly when a load commits new data: the key under which results are cached.
    var dataVersion: Int { lastSuccess?.batchID ?? 0 }

    /// Nothing loaded yet, or the last confirmation is older than the threshold.
    var isStale: Bool {
        guard let lastConfirmation else { return true }
        return lastConfirmation.ageSeconds > staleAfterSeconds
    }
}
