import Foundation
import Testing
@testable import WarehouseKit

/// The first load's per-day customer bitmaps as COPY text: the bits `set_bit` would set, counted
/// from the left in chunks of 8,192 keys, spelled here one bit at a time.
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

    static func encoded(_ days: [(String, [Int32])]) -> String {
        var bitmaps = DayCustomerBitmaps()
        let out = ByteBuffer()
        for (day, customers) in days { bitmaps.append(day: CivilDate(iso: day)!, customers: customers, to: out) }
        return String(decoding: UnsafeRawBufferPointer(start: out.base, count: out.count), as: UTF8.self)
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
