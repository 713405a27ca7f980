/// A small, fast, seedable generator (xoshiro256**) whose output is the same on every
/// machine, OS and Swift version.
///
/// The generator never uses the system's randomness, and the helpers below never call the
/// standard library's `random(in:using:)` (whose algorithm is not a stable contract), so a
/// seed fully determines the bytes a generator writes.
///
/// Streams: `init(seed:stream:)` derives an independent generator for one purpose (one order,
/// one kind of decision) by hashing the seed with the stream numbers through SplitMix64. That
/// lets the data generator produce order *n* without having produced orders 0..<n, which is
/// what makes daily snapshots cheap and memory-flat.
/// See <https://prng.di.unimi.it> for both algorithms.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator seeded from one 64-bit value (expanded with SplitMix64, as recommended).
    public init(seed: UInt64) {
        var mixer = SplitMix64(state: seed)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
        // xoshiro's only bad state is all zeros; SplitMix64 cannot produce four zeros in a row,
        // but be explicit.
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// An independent generator for `(seed, a)`.
    public init(seed: UInt64, stream a: UInt64) {
        self.init(seed: SplitMix64.mix(seed ^ SplitMix64.mix(a &+ 0x632B_E59B_D9B4_E019)))
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3.rotatedLeft(by: 45)
        return result
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject; `bound` > 0).
    @inline(__always)
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }

    /// A uniform `Int` in `range` (closed).
    @inline(__always)
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next(below: width))
    }

    /// A uniform `Double` in `[0, 1)` with 53 random bits (exact, so portable).
    @inline(__always)
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// `true` with probability `p`, decided on integers so that it is exact and portable.
    @inline(__always)
    public mutating func chance(_ threshold: Threshold) -> Bool {
        next() < threshold.value
    }

    /// A probability turned once into a 64-bit cut-off, so the hot path compares integers.
    public struct Threshold: Sendable {
        let value: UInt64
        public init(_ probability: Double) {
            if probability <= 0 {
                value = 0
            } else if probability >= 1 {
                value = .max
            } else {
                value = UInt64(probability * 0x1p64)
            }
        }
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotatedLeft(by amount: UInt64) -> UInt64 {
        (self << amount) | (self >> (64 &- amount))
    }
}

/// SplitMix64: used to expand seeds and to hash stream numbers.
struct SplitMix64 {
    var state: UInt64

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// The SplitMix64 finaliser: a bijective, well-mixing hash of one word.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
