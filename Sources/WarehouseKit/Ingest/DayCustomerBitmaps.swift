/// Writes `reporting.day_customers` rows (migration 0013) for one order day at a time, from the
/// day's distinct customer keys, as COPY text: `date`, `chunk`, and the chunk's 8,192 bits in hex
/// (`X` and 2,048 digits). Bit `key & 8191` of chunk `key >> 13`, counted from the left, is the
/// customer's, as `set_bit` numbers them; chunks with no customer that day get no row.
struct DayCustomerBitmaps {
    static let chunkBits = 8192
    static let wordsPerChunk = chunkBits / 64
    private static let digits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// The day's bits, 64 keys a word, the leftmost bit of a word its lowest key. Zeroed after each
    /// day, word by word where a customer set one.
    private var words: [UInt64] = []

    /// Appends the rows of one day whose customers are `customers` (distinct, non-negative).
    mutating func append(day: CivilDate, customers: [Int32], to out: ByteBuffer) {
        guard let highest = customers.max() else { return }
        let chunks = Int(highest) / Self.chunkBits + 1
        if words.count < chunks * Self.wordsPerChunk {
            words.append(contentsOf: repeatElement(0, count: chunks * Self.wordsPerChunk - words.count))
        }
        var used = [Bool](repeating: false, count: chunks)
        for customer in customers {
            let key = Int(customer)
            words[key >> 6] |= UInt64(1) << (63 - UInt64(key & 63))
            used[key / Self.chunkBits] = true
        }
        for chunk in 0..<chunks where used[chunk] {
            CopyText.appendDate(day, to: out)
            out.append(0x09)
            CopyText.appendInt(Int64(chunk), to: out)
            out.append(0x09)
            out.append(UInt8(ascii: "X"))
            out.withReserved(Self.wordsPerChunk * 16) { pointer in
                var at = 0
                for index in chunk * Self.wordsPerChunk ..< (chunk + 1) * Self.wordsPerChunk {
                    let word = words[index]
                    words[index] = 0
                    for shift in stride(from: 60, through: 0, by: -4) {
                        pointer[at] = Self.digits[Int((word >> UInt64(shift)) & 0xF)]
                        at += 1
                    }
                }
                return at
            }
            out.append(0x0A)
        }
    }
}
