/// A write position in an output buffer with room reserved ahead of it (see
/// ``BufferedOutput/write(reserving:_:)``): the row encoder's only way to emit bytes.
///
/// Nothing here checks bounds; callers reserve the row's worst case first.
struct ByteCursor {
    var position: UnsafeMutablePointer<UInt8>

    init(_ position: UnsafeMutablePointer<UInt8>) {
        self.position = position
    }

    @inline(__always)
    mutating func put(_ byte: UInt8) {
        position.pointee = byte
        position += 1
    }

    /// Copies 16 bytes from `source` (which must be readable) and keeps the first `length`.
    @inline(__always)
    mutating func copy16(from source: UnsafeRawPointer, length: Int) {
        UnsafeMutableRawPointer(position).copyMemory(from: source, byteCount: 16)
        position += length
    }

    /// `value` in decimal.
    @inline(__always)
    mutating func putUnsigned(_ value: UInt64) {
        var digits = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            digits &+= 1
        }
        var end = position + digits
        position = end
        rest = value
        repeat {
            end -= 1
            end.pointee = UInt8(truncatingIfNeeded: 48 &+ rest % 10)
            rest /= 10
        } while rest > 0
    }

    @inline(__always)
    mutating func putInt(_ value: Int) {
        if value < 0 {
            put(UInt8(ascii: "-"))
            putUnsigned(value.magnitude.toUInt64)
        } else {
            putUnsigned(UInt64(value))
        }
    }

    /// A price in cents written the way the supplier writes it (Python's float repr for values
    /// with at most two decimals): `1202` → `12.02`, `1710` → `17.1`, `1000` → `10.0`.
    @inline(__always)
    mutating func putPrice(cents: Int) {
        if cents < 0 { put(UInt8(ascii: "-")) }
        let magnitude = cents.magnitude.toUInt64
        putUnsigned(magnitude / 100)
        put(UInt8(ascii: "."))
        let fraction = magnitude % 100
        put(UInt8(truncatingIfNeeded: 48 &+ fraction / 10))
        if fraction % 10 != 0 { put(UInt8(truncatingIfNeeded: 48 &+ fraction % 10)) }
    }
}

extension UInt {
    fileprivate var toUInt64: UInt64 { UInt64(self) }
}

extension Array where Element == UInt8 {
    /// Slow-path helper: appends what `body` writes through a cursor with `room` bytes reserved.
    mutating func appendWithCursor(room: Int, _ body: (inout ByteCursor) -> Void) {
        let start = count
        append(contentsOf: repeatElement(0, count: room))
        let written = withUnsafeMutableBufferPointer { buffer in
            var cursor = ByteCursor(buffer.baseAddress! + start)
            body(&cursor)
            return cursor.position - (buffer.baseAddress! + start)
        }
        removeLast(room - written)
    }
}
