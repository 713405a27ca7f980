import Synchronization
import WarehouseKit

/// Signed-in browsers: random session ids and when each stops being accepted.
///
/// Ids are 32 bytes from the system's secure random source, in hex, so a cookie says nothing
/// about the token and cannot be made without signing in. They live in this process's memory
/// only: a restart signs everyone out. They are kept by their SHA-256 digest, so looking one up
/// takes the same time however much of a guessed id is right.
final class SessionStore: Sendable {
    /// How long a session lasts: a working day and more, so a wall screen signs in once a day.
    static let lifetime = Duration.seconds(12 * 3_600)
    /// At most this many sessions are kept; beyond it the ones closest to expiring are dropped.
    static let capacity = 10_000

    private let now: @Sendable () -> ContinuousClock.Instant
    private let expiries = Mutex<[String: ContinuousClock.Instant]>([:])

    init(now: @escaping @Sendable () -> ContinuousClock.Instant) {
        self.now = now
    }

    /// A new session id, valid for ``lifetime``.
    func start() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        let id = String((0..<32).flatMap { _ in
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            return [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
        })
        let moment = now()
        expiries.withLock { expiries in
            expiries = expiries.filter { $0.value > moment }
            if expiries.count >= Self.capacity, let soonest = expiries.min(by: { $0.value < $1.value }) {
                expiries.removeValue(forKey: soonest.key)
            }
            expiries[SHA256Hasher.hex(of: id)] = moment + Self.lifetime
        }
        return id
    }

    /// Whether `id` is a session of this process that has not expired.
    func isValid(_ id: String) -> Bool {
        let key = SHA256Hasher.hex(of: id)
        let moment = now()
        return expiries.withLock { expiries in
            guard let expiry = expiries[key] else { return false }
            if expiry > moment { return true }
            expiries.removeValue(forKey: key)
            return false
        }
    }
}
