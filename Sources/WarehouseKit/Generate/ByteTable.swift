/// Short byte strings (at most 16 bytes) in fixed 16-byte slots, so copying one into an
/// output row is a single 16-byte move: no per-word arrays, no retain/release, no `memcpy`
/// call with a variable size.
///
/// Immutable after `init`, hence `@unchecked Sendable`.
final class ByteTable: @unchecked Sendable {
    static let slotSize = 16

    private let slots: UnsafeMutableRawPointer
    private let lengths: UnsafeMutablePointer<UInt8>
    let count: Int

    init(_ words: [[UInt8]]) {
        count = words.count
        slots = .allocate(byteCount: max(1, words.count) * Self.slotSize, alignment: 16)
        slots.initializeMemory(as: UInt8.self, repeating: 0, count: max(1, words.count) * Self.slotSize)
        lengths = .allocate(capacity: max(1, words.count))
        for (index, word) in words.enumerated() {
            precondition(word.count <= Self.slotSize, "table words are at most 16 bytes")
            lengths[index] = UInt8(word.count)
            word.withUnsafeBytes { slots.advanced(by: index * Self.slotSize).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
    }

    /// Splits `words` on spaces and newlines.
    convenience init(words: String) {
        self.init(words.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { Array($0.utf8) })
    }

    convenience init(_ list: [String]) {
        self.init(list.map { Array($0.utf8) })
    }

    deinit {
        slots.deallocate()
        lengths.deallocate()
    }

    subscript(index: Int) -> [UInt8] {
        precondition(index >= 0 && index < count, "index out of range")
        return Array(UnsafeRawBufferPointer(start: slots + index * Self.slotSize, count: Int(lengths[index])))
    }

    /// Writes word `index` at the cursor (the cursor needs 16 bytes of room).
    @inline(__always)
    func write(_ index: Int, to cursor: inout ByteCursor) {
        cursor.copy16(from: UnsafeRawPointer(slots + index &* Self.slotSize), length: Int(lengths[index]))
    }
}
