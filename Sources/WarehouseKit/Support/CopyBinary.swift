/// PostgreSQL's binary COPY format, for the few column types the loader lands: the server then
/// parses no text (no integer, date or numeric input functions), which was a third of its work
/// on a first load's COPY.
enum CopyBinary {
    /// The signature, no flags, no header extension.
    static func appendHeader(to out: ByteBuffer) {
        // "PGCOPY\n\xff\r\n\0"
        for byte: UInt8 in [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00] { out.append(byte) }
        appendRaw(UInt32(0), to: out)
        appendRaw(UInt32(0), to: out)
    }

    /// The end of the data: a field count of -1.
    static func appendTrailer(to out: ByteBuffer) { appendRaw(UInt16(0xFFFF), to: out) }

    @inline(__always) static func appendFieldCount(_ count: Int16, to out: ByteBuffer) {
        appendRaw(UInt16(bitPattern: count), to: out)
    }

    @inline(__always) static func appendInt64(_ value: Int64, to out: ByteBuffer) {
        appendRaw(UInt32(8), to: out)
        appendRaw(UInt64(bitPattern: value), to: out)
    }

    @inline(__always) static func appendInt32(_ value: Int32, to out: ByteBuffer) {
        appendRaw(UInt32(4), to: out)
        appendRaw(UInt32(bitPattern: value), to: out)
    }

    @inline(__always) static func appendInt16(_ value: Int16, to out: ByteBuffer) {
        appendRaw(UInt32(2), to: out)
        appendRaw(UInt16(bitPattern: value), to: out)
    }

    /// A `date`: days since 2000-01-01.
    @inline(__always) static func appendDate(_ date: CivilDate, to out: ByteBuffer) {
        appendInt32(Int32(date.daysSinceEpoch - 10_957), to: out)
    }

    /// A `numeric` of `cents / 100` with two decimals: base-10000 digits after a header of digit
    /// count, weight (of the first digit), sign and display scale; zero digits at either end left out.
    @inline(__always) static func appendCents(_ cents: Int64, to out: ByteBuffer) {
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: 8) { digit in
            var whole = cents.magnitude / 100
            let fraction = UInt16(cents.magnitude % 100) * 100
            // The whole part's groups, least significant first, then turned round.
            var count = 0
            while whole > 0 {
                digit[count] = UInt16(whole % 10_000)
                count += 1
                whole /= 10_000
            }
            var weight = count - 1  // -1: no whole part
            var low = 0, high = count - 1
            while low < high {
                digit.swapAt(low, high)
                low += 1
                high -= 1
            }
            if fraction != 0 {
                digit[count] = fraction
                count += 1
            }
            // Zero groups at the end carry nothing: the weight places the others.
            while count > 0, digit[count - 1] == 0 { count -= 1 }
            if count == 0 { weight = 0 }
            appendRaw(UInt32(8 + 2 * count), to: out)
            appendRaw(UInt16(count), to: out)
            appendRaw(UInt16(bitPattern: Int16(weight)), to: out)
            appendRaw(UInt16(cents < 0 ? 0x4000 : 0), to: out)
            appendRaw(UInt16(2), to: out)
            for index in 0..<count { appendRaw(digit[index], to: out) }
        }
    }

    /// A `bit(n)` or `varbit` of `words.count × 64` bits, the first bit the highest of the first word.
    static func appendBits(_ words: ArraySlice<UInt64>, to out: ByteBuffer) {
        appendRaw(UInt32(4 + 8 * words.count), to: out)
        appendRaw(UInt32(64 * words.count), to: out)
        out.withReserved(8 * words.count) { pointer in
            var at = 0
            for word in words {
                UnsafeMutableRawPointer(pointer + at).storeBytes(of: word.bigEndian, as: UInt64.self)
                at += 8
            }
            return at
        }
    }

    @inline(__always) private static func appendRaw<T: FixedWidthInteger>(_ value: T, to out: ByteBuffer) {
        out.withReserved(MemoryLayout<T>.size) { pointer in
            UnsafeMutableRawPointer(pointer).storeBytes(of: value.bigEndian, as: T.self)
            return MemoryLayout<T>.size
        }
    }
}
