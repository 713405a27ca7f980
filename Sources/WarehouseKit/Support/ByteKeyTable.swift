import Foundation

/// A hash table from byte strings to small integer values, looked up straight from bytes: the
/// loader resolves every row's customer name and product id, and building a `String` for each
/// (with its UTF-8 validation and hashing) cost about a quarter of a load's client time.
///
/// Open addressing with linear probing over one array of slots; the keys' bytes live in one
/// arena. The hash is seeded per table from the system's random source, so a file cannot be
/// crafted to make every name collide. Removal leaves the key in place with no value.
struct ByteKeyTable {
    private struct Slot {
        var hash: UInt64 = 0
        var offset: Int = 0
        /// -1: an empty slot.
        var length: Int32 = -1
        /// ``absent``: a removed key.
        var value: Int32 = 0
    }

    private static let absent = Int32.min
    private var slots: [Slot]
    private var mask: Int
    private var arena: [UInt8] = []
    private var used = 0
    private let seed: UInt64

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = [Slot](repeating: Slot(), count: size)
        mask = size - 1
        var generator = SystemRandomNumberGenerator()
        seed = generator.next()
    }

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

    func value(for bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int32? {
        guard let index = find(bytes, hash: hash), slots[index].length >= 0, slots[index].value != Self.absent else { return nil }
        return slots[index].value
    }

    /// Sets the value of `bytes` (adding the key when new).
    mutating func set(_ value: Int32, for bytes: UnsafeRawBufferPointer) {
        let hash = hash(bytes)
        let index = find(bytes, hash: hash)!
        if slots[index].length >= 0 {
            slots[index].value = value
            return
        }
        slots[index] = Slot(hash: hash, offset: arena.count, length: Int32(bytes.count), value: value)
        arena.append(contentsOf: bytes)
        used += 1
        if used * 4 > slots.count * 3 { grow() }
    }

    /// Removes the value of `bytes`, if any.
    mutating func remove(_ bytes: UnsafeRawBufferPointer) {
        guard let index = find(bytes, hash: hash(bytes)), slots[index].length >= 0 else { return }
        slots[index].value = Self.absent
    }

    /// The slot holding `bytes`, else the empty slot where it would go.
    @inline(__always)
    private func find(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            arena.withUnsafeBytes { arena in
                var index = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let slot = slots[index]
                    if slot.length < 0 { return index }
                    if slot.hash == hash, Int(slot.length) == bytes.count,
                       bytes.isEmpty || memcmp(arena.baseAddress! + slot.offset, bytes.baseAddress!, bytes.count) == 0 {
                        return index
                    }
                    index = (index + 1) & mask
                }
            }
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.length >= 0 {
            var index = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[index].length >= 0 { index = (index + 1) & mask }
            slots[index] = slot
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
