import Synchronization

/// Query results kept until the warehouse's data changes.
///
/// The warehouse changes only when a load commits, and every committing load is a new `succeeded`
/// row in `ops.load_batches` (written in the load's own transaction). Results are therefore kept
/// under that batch id (``WarehouseStatus/dataVersion``) and all dropped the moment a request sees
/// a newer one: a page view after a load recomputes, the views after it are served from memory.
/// This is what keeps the weekly report and the headline (which aggregate every order of the
/// window) fast at millions of facts. Keys hold resolved values only (a concrete as-of day), so
/// "today" rolling over is a new key too. Changes made outside the loader (hand edits under
/// psql) are not seen until the next load or a restart; `warehouse serve --no-cache` turns it off.
///
/// A race is harmless: a result computed just after a load committed may be stored under the
/// previous id, and is then never served once any request has seen the new id.
final class ResultCache: Sendable {
    private struct State {
        var version = -1
        var entries: [String: any Sendable] = [:]
        var order: [String] = []
    }

    /// At most this many results are kept (oldest dropped first); 0 disables the cache.
    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// How many results are held now (for tests and diagnostics).
    var count: Int { state.withLock { $0.entries.count } }

    /// Whether a result is held under `key` (for tests and diagnostics).
    func holds(_ key: String) -> Bool { state.withLock { $0.entries[key] != nil } }

    /// The cached value for `key` at `version`, else `compute()`'s, stored for next time.
    /// Concurrent misses for one key may compute twice; both results are equal.
    func value<T: Sendable>(version: Int, key: String, compute: () async throws -> T) async throws -> T {
        guard capacity > 0 else { return try await compute() }
        let hit: T? = state.withLock { state in
            if state.version != version {
                state = State()
                state.version = version
                return nil
            }
            return state.entries[key] as? T
        }
        if let hit { return hit }
        let value = try await compute()
        state.withLock { state in
            // Stored only if no newer version was seen while computing.
            guard state.version == version, state.entries[key] == nil else { return }
            if state.order.count >= capacity {
                state.entries[state.order.removeFirst()] = nil
            }
            state.entries[key] = value
            state.order.append(key)
        }
        return value
    }
}
