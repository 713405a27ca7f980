import Foundation

/// A hash table from byte strings to small integer values, looked up straight from bytes: the
/// loader resolves every row's customer name and product id, and building a `String` for each
/// (with its UTF-8 validation and hashing) cost about a quarter of a load's client time.
///
/// Open addressing with linear probing over one array of slots. A slot holds the key's first 16
/// bytes (enough for nine names in ten), so a lookup usually costs one memory access, not two:
/// with 200,000 customers the table is far bigger than the processor's caches, and each access
/// is a miss. Longer keys keep the rest in one arena. The hash is seeded per table from the
/// system's random source, so a file cannot be crafted to make every name collide. Removal
/// leaves the key in place with no value.
struct ByteKeyTable {
    private struct Slot {
        var hash: UInt64 = 0
        /// The key's first 16 bytes, zero-padded.
        var head0: UInt64 = 0
        var head1: UInt64 = 0
        /// Where bytes 16… of a longer key start in the arena.
        var offset: UInt32 = 0
        /// -1: an empty slot.
        var length: Int32 = -1
        /// ``absent``: a removed key.
        var value: Int32 = 0
    }

    private static let absent = Int32.min
    private static let headBytes = 16
    private var slots: [Slot]
    private var arena: [UInt8] = []
    private var used = 0
    private let seed: UInt64

    /// Room for `capacity` keys before it grows: about 1.5 slots a key (40 bytes a slot).
    init(capacity: Int = 64) {
        var generator = SystemRandomNumberGenerator()
        self.init(capacity: capacity, seed: generator.next())
    }

    /// A table whose keys hash as in `other`: one hash then looks a key up in both.
    init(capacity: Int, sharingSeedOf other: ByteKeyTable) {
        self.init(capacity: capacity, seed: other.seed)
    }

    private init(capacity: Int, seed: UInt64) {
        slots = [Slot](repeating: Slot(), count: max(16, capacity + capacity / 2))
        self.seed = seed
    }

    /// Keys added (a removed key still counts: its slot stays).
    var count: Int { used }
    var isEmpty: Bool { used == 0 }

    /// 64-bit hash of `bytes`: eight bytes at a time, folded by a full-width multiply.
    @inline(__always)
    func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        @inline(__always) func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let product = a.multipliedFullWidth(by: b)
            return product.high ^ product.low
        }
        var state = seed ^ UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            state = fold(state ^ bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self), 0xA076_1D64_78BD_642F)
            index += 8
        }
        if index < count {
            var tail: UInt64 = 0
            for position in index..<count { tail |= UInt64(bytes[position]) << UInt64((position - index) * 8) }
            state = fold(state ^ tail, 0xE703_7ED1_A0B4_28DB)
        }
        return fold(state, 0x8EBC_6AF0_9C88_C6E3)
    }

    /// The value of `bytes`, or nil.
    @inline(__always)
    func value(for bytes: UnsafeRawBufferPointer) -> Int32? {
        value(for: bytes, hash: hash(bytes))
    }

    @inline(__always)
    func value(for bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int32? {
        let (index, found) = find(bytes, hash: hash)
        guard found else { return nil }
        let value = slots.withUnsafeBufferPointer { $0[index].value }
        return value == Self.absent ? nil : value
    }

    /// Reads the slot where a lookup of `hash` starts: calling it for many keys before looking
    /// them up lets the processor wait for their cache misses together.
    @inline(__always)
    func touch(_ hash: UInt64) -> UInt64 {
        slots.withUnsafeBufferPointer { $0[Self.home(hash, count: $0.count)].hash }
    }

    /// Sets the value of `bytes` (adding the key when new).
    mutating func set(_ value: Int32, for bytes: UnsafeRawBufferPointer) {
        let hash = hash(bytes)
        let (index, found) = find(bytes, hash: hash)
        if found {
            slots[index].value = value
            return
        }
        var slot = Slot(hash: hash, offset: UInt32(arena.count), length: Int32(bytes.count), value: value)
        (slot.head0, slot.head1) = Self.head(bytes)
        if bytes.count > Self.headBytes { arena.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[Self.headBytes...])) }
        slots[index] = slot
        used += 1
        if used * 4 > slots.count * 3 { grow() }
    }

    /// Removes the value of `bytes`, if any.
    mutating func remove(_ bytes: UnsafeRawBufferPointer) {
        let (index, found) = find(bytes, hash: hash(bytes))
        if found { slots[index].value = Self.absent }
    }

    /// The first 16 bytes, zero-padded, as two words.
    @inline(__always)
    private static func head(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        if bytes.count >= 16 {
            return (bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
        return words
    }

    /// The first slot to look at: the hash's high half scaled to the table (any size, no modulo).
    @inline(__always)
    private static func home(_ hash: UInt64, count: Int) -> Int {
        Int(truncatingIfNeeded: ((hash >> 32) &* UInt64(count)) >> 32)
    }

    /// The slot holding `bytes` (found), else the empty slot where it would go.
    @inline(__always)
    private func find(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> (index: Int, found: Bool) {
        let (head0, head1) = Self.head(bytes)
        return slots.withUnsafeBufferPointer { slots in
            var index = Self.home(hash, count: slots.count)
            while true {
                let slot = slots[index]
                if slot.length < 0 { return (index, false) }
                if slot.hash == hash, Int(slot.length) == bytes.count, slot.head0 == head0, slot.head1 == head1,
                   bytes.count <= Self.headBytes || arena.withUnsafeBytes({ arena in
                       memcmp(arena.baseAddress! + Int(slot.offset), bytes.baseAddress! + Self.headBytes, bytes.count - Self.headBytes) == 0
                   }) {
                    return (index, true)
                }
                index += 1
                if index == slots.count { index = 0 }
            }
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        slots.withUnsafeMutableBufferPointer { slots in
            for slot in old where slot.length >= 0 {
                var index = Self.home(slot.hash, count: slots.count)
                while slots[index].length >= 0 {
                    index += 1
                    if index == slots.count { index = 0 }
                }
                slots[index] = slot
            }
        }
    }

    mutating func set(_ value: Int32, for text: String) {
        var text = text
        text.withUTF8 { set(value, for: UnsafeRawBufferPointer($0)) }
    }

    mutating func remove(_ text: String) {
        var text = text
        text.withUTF8 { remove(UnsafeRawBufferPointer($0)) }
    }
}
