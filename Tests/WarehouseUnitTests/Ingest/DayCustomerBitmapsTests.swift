import Foundation
import Testing
@testable import WarehouseKit

/// The per-day customer bitmaps as binary COPY rows: the bits `set_bit` would set, counted from
/// the left in chunks of 8,192 keys, spelled here one bit at a time and compared as text.
@Suite("DayCustomerBitmaps")
struct DayCustomerBitmapsTests {
    /// The rows for one day, built as a string of 0s and 1s per chunk and read four bits a digit.
    static func reference(day: String, customers: [Int32]) -> String {
        var chunks: [Int: [Character]] = [:]
        for customer in customers {
            chunks[Int(customer) / 8192, default: Array(repeating: "0", count: 8192)][Int(customer) % 8192] = "1"
        }
        return chunks.keys.sorted().map { chunk in
            let bits = chunks[chunk]!
            let hex = stride(from: 0, to: 8192, by: 4).map { start in
                String(Int(String(bits[start..<start + 4]), radix: 2)!, radix: 16, uppercase: true)
            }.joined()
            return "\(day)\t\(chunk)\tX\(hex)\n"
        }.joined()
    }

    /// The binary rows `DayCustomerBitmaps` writes, decoded field by field into the reference's text.
    static func encoded(_ days: [(String, [Int32])]) -> String {
        var bitmaps = DayCustomerBitmaps()
        let out = ByteBuffer()
        for (day, customers) in days { bitmaps.append(day: CivilDate(iso: day)!, customers: customers, to: out) }
        let bytes = Array(UnsafeRawBufferPointer(start: out.base, count: out.count))
        var at = 0
        func read(_ count: Int) -> Int {
            defer { at += count }
            return bytes[at..<at + count].reduce(0) { $0 << 8 | Int($1) }
        }
        var text = ""
        while at < bytes.count {
            #expect(read(2) == 3, "three fields a row")
            #expect(read(4) == 4)
            let day = CivilDate(daysSinceEpoch: read(4) + 10_957)
            #expect(read(4) == 4)
            let chunk = read(4)
            #expect(read(4) == 4 + 1024, "the bit string's length in bytes")
            #expect(read(4) == 8192, "its length in bits")
            let hex = bytes[at..<at + 1024].map { String($0 >> 4, radix: 16, uppercase: true) + String($0 & 15, radix: 16, uppercase: true) }
            at += 1024
            text += "\(day.description)\t\(chunk)\tX\(hex.joined())\n"
        }
        return text
    }

    @Test("word and chunk edges, a sparse chunk skipped, and each day starting from no bits")
    func matchesBitByBit() {
        let first: [Int32] = [0, 1, 5, 63, 64, 127, 8191, 8192, 8193, 20_000, 24_575]
        let second: [Int32] = [2, 24_576]
        #expect(Self.encoded([("2023-11-01", first), ("2023-11-02", second), ("2023-11-03", [])])
                == Self.reference(day: "2023-11-01", customers: first) + Self.reference(day: "2023-11-02", customers: second))
    }

    @Test("a dense day of random keys")
    func randomKeys() {
        var generator = SystemRandomNumberGenerator()
        let customers = Array(Set((0..<5_000).map { _ in Int32.random(in: 0..<40_000, using: &generator) }))
        #expect(Self.encoded([("2024-02-29", customers)]) == Self.reference(day: "2024-02-29", customers: customers))
    }
}
