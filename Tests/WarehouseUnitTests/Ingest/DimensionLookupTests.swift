import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// The byte-keyed lookups behind the dimension keys: they must answer exactly as the `String`
/// dictionaries and `String(validating:)` they replaced.
@Suite(.blockingWork) struct DimensionLookupTests {
    /// A reproducible byte source for the comparisons below.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func utf8ValidationAgreesWithTheStandardLibrary() {
        var random = SplitMix(state: 7)
        // Edge cases first: overlong forms, surrogates, the last scalar and past it, truncations.
        var cases: [[UInt8]] = [
            [], [0x41], [0xC0, 0x80], [0xC1, 0xBF], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0x9F, 0xBF], [0xE0, 0xA0, 0x80],
            [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80],
            [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
            [0x80], [0xBF], [0xFE], [0xFF], Array("Zoë Ørsted 日本 😀".utf8),
        ]
        let alphabet: [UInt8] = [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEF, 0xF0, 0xF4, 0xF5]
        for _ in 0..<50_000 {
            cases.append((0..<Int.random(in: 1...6, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
        }
        var disagreements: [[UInt8]] = []
        for bytes in cases {
            let ours = bytes.withUnsafeBytes { UTF8Validation.isValid($0) }
            let standard = String(validating: bytes, as: UTF8.self)
            if ours != (standard != nil) { disagreements.append(bytes) }
            if let standard, bytes.withUnsafeBytes({ UTF8Validation.scalarCount($0) }) != standard.unicodeScalars.count {
                disagreements.append(bytes)
            }
        }
        #expect(disagreements.isEmpty, "first: \(disagreements.prefix(5))")
    }

    @Test func byteKeyTableAnswersAsADictionary() {
        var random = SplitMix(state: 11)
        var table = ByteKeyTable(capacity: 4)
        var reference: [[UInt8]: Int32] = [:]
        // Short keys from a small alphabet collide often; the empty key and long keys are included.
        for step in 0..<200_000 {
            let length = [0, 1, 3, 7, 8, 9, 15, 16, 17, 40].randomElement(using: &random)!
            let key = (0..<length).map { _ in UInt8.random(in: 0x61...0x63, using: &random) }
            switch step % 5 {
            case 0, 1:
                let value = Int32(step)
                key.withUnsafeBytes { table.set(value, for: $0) }
                reference[key] = value
            case 2:
                key.withUnsafeBytes { table.remove($0) }
                reference[key] = nil
            default:
                let found = key.withUnsafeBytes { table.value(for: $0) }
                #expect(found == reference[key], "key \(key)")
            }
        }
        for (key, value) in reference {
            #expect(key.withUnsafeBytes { table.value(for: $0) } == value)
        }
    }

    @Test func dimensionKeysAreAssignedInFirstSeenOrder() throws {
        var cache = DimensionCache()
        #expect(cache.customerKey("Ann Lee") == 1)
        #expect(cache.customerKey("Bob") == 2)
        #expect(cache.customerKey("Ann Lee") == 1)
        #expect(cache.customerKey("ann lee") == 3)
        #expect(cache.newCustomers.names == ["Ann Lee", "Bob", "ann lee"])
        cache.forgetNew(customers: [2])
        #expect(cache.newCustomers.names == ["Ann Lee", "ann lee"])
        #expect(cache.customerKey("Bob") == 4)
        #expect(try cache.productKey("transfer") == 1)
        #expect(try cache.productKey("fast_track") == 2)
        #expect(try cache.productKey("transfer") == 1)
        #expect(cache.newProducts.map(\.id) == ["transfer", "fast_track"])
    }
}

/// A streamed file's new members: keyed by the reading thread, adopted unindexed by the cache, whose
/// lookups by name then come from the reading thread's table; members added after go on numbering.
@Suite struct StreamedMembersTests {
    @Test func theStreamedTablesServeLookupsAfterTheFile() {
        var cache = DimensionCache()
        var streamed = cache.streamedKeys()
        var names = (0..<5_000).map { "Customer number \($0)" }
        names.append("Ann")
        for name in names {
            var bytes = name
            bytes.withUTF8 { raw in
                let buffer = UnsafeRawBufferPointer(raw)
                let (key, isNew) = streamed.customerKey(buffer, hash: streamed.customerHash(buffer))
                if isNew { cache.adoptCustomer(key: key, name: buffer, indexed: false) }
            }
        }
        cache.adoptStreamedMembers(streamed.added)
        for (index, name) in names.enumerated() {
            #expect(cache.customerKey(name) == Int32(index + 1), "\(name)")
        }
        #expect(cache.customerKey("Someone new") == Int32(names.count + 1))
        #expect(cache.newCustomers.count == names.count + 1)
    }

    @Test func membersAdoptedOtherwiseAreIndexedOneByOne() {
        var cache = DimensionCache()
        #expect(cache.customerKey("Ann") == 1)
        var bytes = "Ben"
        bytes.withUTF8 { cache.adoptCustomer(key: 2, name: UnsafeRawBufferPointer($0), indexed: false) }
        // The streamed table holds only Ben, the cache's own already Ann: both stay found.
        var streamed = ByteKeyTable()
        streamed.set(2, for: "Ben")
        cache.adoptStreamedMembers((streamed, ByteKeyTable()))
        #expect(cache.customerKey("Ann") == 1)
        #expect(cache.customerKey("Ben") == 2)
        #expect(cache.customerKey("Cid") == 3)
    }
}
