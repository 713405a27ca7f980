import WarehouseKit

/// A freshness verdict as JSON, in `warehouse freshness` and in `warehouse status`.
struct FreshnessReport: Encodable {
    let state: String
    /// Only `warehouse freshness` states it, as the field a scheduler reads.
    let fresh: Bool?
    let maxAgeSeconds: Int
    let lastSuccessAt: String?
    let lastSuccessBatchID: Int?
    let ageSeconds: Int?
    let message: String

    enum CodingKeys: String, CodingKey {
        case state, fresh, maxAgeSeconds = "max_age_seconds", lastSuccessAt = "last_success_at",
             lastSuccessBatchID = "last_success_batch_id", ageSeconds = "age_seconds", message
    }

    init(_ freshness: Freshness, statesVerdict: Bool) {
        let last = freshness.lastConfirmation
        state = freshness.state.rawValue
        fresh = statesVerdict ? freshness.isFresh : nil
        maxAgeSeconds = Int(freshness.maxAgeSeconds)
        lastSuccessAt = last?.finishedAt
        lastSuccessBatchID = last?.batchID
        ageSeconds = last.map { Int($0.ageSeconds) }
        message = freshness.summary
    }
}
