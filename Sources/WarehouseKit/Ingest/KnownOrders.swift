import Foundation

/// The orders the warehouse holds when a merge load starts, one 64-bit fingerprint of each
/// order's values by order_id: 16 bytes per order, plus one bit to note that the file listed it.
///
/// With it, each row of a daily snapshot is compared while it streams: an unchanged order (the
/// great majority) never goes to the server at all; only new, changed and restored orders are
/// landed, and the orders the file never listed are known the moment it ends. Comparing on the
/// server instead means landing every row and hash-joining millions of them with the facts.
///
/// A fingerprint is a hash: two different versions of one order could share one. The chance
/// is 2^-64 per changed order, far below that of a disk error.
struct KnownOrders {
    private struct Entry {
        var id: Int64
        var fingerprint: UInt64
    }

    /// Sorted by id.
    private var entries: [Entry] = []
    /// One bit per entry: listed by the file.
    private var listed: [UInt64] = []
    private(set) var listedCount = 0
    /// Where the last lookup found its id: files are usually in id order, so the next id is
    /// most often the next entry and the lookup costs no search.
    private var cursor = 0

    var count: Int { entries.count }

    enum Comparison {
        /// Not among the known orders: new, or removed earlier and listed again.
        case unknown
        case unchanged
        case changed
    }

    /// Reads `count` entries written by ``write(to:updatedWith:)``.
    init(reading descriptor: Int32, count: Int) throws {
        entries = try [Entry](unsafeUninitializedCapacity: count) { buffer, initialized in
            let bytes = UnsafeMutableRawBufferPointer(buffer)
            var offset = 0
            while offset < bytes.count {
                let got = Foundation.read(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                guard got > 0 else { throw CocoaError(.fileReadCorruptFile) }
                offset += got
            }
            initialized = count
        }
        listed = [UInt64](repeating: 0, count: (count + 63) / 64)
    }

    /// Writes the orders as they are once this load commits: the listed known orders, with the
    /// fingerprints of the rows this load landed (changed, new, restored) in place of theirs;
    /// returns how many were written.
    func write(to descriptor: Int32, updatedWith landed: [(id: Int64, fingerprint: UInt64)]) throws -> Int {
        let landed = landed.sorted { $0.id < $1.id }
        var buffer: [Entry] = []
        buffer.reserveCapacity(1 << 16)
        var written = 0
        func emit(_ entry: Entry) throws {
            buffer.append(entry)
            if buffer.count == buffer.capacity { try flush() }
        }
        func flush() throws {
            try buffer.withUnsafeBytes { try KnownOrdersCache.writeAll(descriptor, $0) }
            written += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
        var next = 0
        for (index, entry) in entries.enumerated() where listed[index >> 6] & (1 << UInt64(index & 63)) != 0 {
            while next < landed.count, landed[next].id < entry.id {
                try emit(Entry(id: landed[next].id, fingerprint: landed[next].fingerprint))
                next += 1
            }
            if next < landed.count, landed[next].id == entry.id {
                try emit(Entry(id: entry.id, fingerprint: landed[next].fingerprint))
                next += 1
            } else {
                try emit(entry)
            }
        }
        while next < landed.count {
            try emit(Entry(id: landed[next].id, fingerprint: landed[next].fingerprint))
            next += 1
        }
        try flush()
        return written
    }

    private init() {}

    /// Reads every fact's id and values (one sequential COPY) and fingerprints them.
    static func read(from connection: PostgresConnection) throws -> KnownOrders {
        var known = KnownOrders()
        // Reserved up front: growing by doubling would hold two copies at once.
        let estimate = try connection.execute("""
            select greatest(reltuples, 0)::bigint as n from pg_catalog.pg_class where oid = 'warehouse.fact_orders'::regclass
            """).single().int("n")
        known.entries.reserveCapacity(estimate + estimate / 50 + 1024)
        var sorted = true
        var previous = Int64.min
        try connection.copyOut("""
            copy (select order_id, customer_key, product_key, date_key, (price * 100)::bigint, passenger_count
                  from warehouse.fact_orders) to stdout
            """) { line in
            var fields = (Int64(0), Int64(0), Int64(0), Int64(0), Int64(0), Int64(0))
            var index = 0
            var value: Int64 = 0
            var negative = false
            for byte in line {
                switch byte {
                case 0x09, 0x0A:
                    let number = negative ? -value : value
                    switch index {
                    case 0: fields.0 = number
                    case 1: fields.1 = number
                    case 2: fields.2 = number
                    case 3: fields.3 = number
                    case 4: fields.4 = number
                    default: fields.5 = number
                    }
                    index += 1
                    value = 0
                    negative = false
                case UInt8(ascii: "-"): negative = true
                default: value = value &* 10 &+ Int64(byte &- 0x30)
                }
            }
            if index < 6 { fields.5 = negative ? -value : value }
            let entry = Entry(id: fields.0, fingerprint: fingerprint(
                customer: Int32(truncatingIfNeeded: fields.1), product: Int16(truncatingIfNeeded: fields.2),
                date: Int32(truncatingIfNeeded: fields.3), cents: fields.4, passengers: Int32(truncatingIfNeeded: fields.5)))
            if entry.id < previous { sorted = false }
            previous = entry.id
            known.entries.append(entry)
        }
        if !sorted { known.entries.sort { $0.id < $1.id } }
        known.listed = [UInt64](repeating: 0, count: (known.entries.count + 63) / 64)
        return known
    }

    /// The fingerprint of one version of an order: what the merge compares.
    @inline(__always)
    static func fingerprint(customer: Int32, product: Int16, date: Int32, cents: Int64, passengers: Int32) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15
        @inline(__always) func mix(_ value: UInt64) {
            // splitmix64's finaliser over the running state: every input bit reaches every output bit.
            var z = hash ^ value &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            hash = z ^ (z >> 31)
        }
        mix(UInt64(UInt32(bitPattern: customer)) << 32 | UInt64(UInt32(bitPattern: date)))
        mix(UInt64(bitPattern: cents))
        mix(UInt64(UInt16(bitPattern: product)) << 32 | UInt64(UInt32(bitPattern: passengers)))
        return hash
    }

    private mutating func position(of id: Int64) -> Int? {
        if cursor < entries.count, entries[cursor].id == id { return cursor }
        let next = cursor + 1
        if next < entries.count, entries[next].id == id {
            cursor = next
            return next
        }
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].id < id { low = middle + 1 } else { high = middle }
        }
        guard low < entries.count, entries[low].id == id else { return nil }
        cursor = low
        return low
    }

    /// Compares a row of the file with the known order of its id and notes the id as listed.
    /// `repeated` is set when the id was listed before in this file.
    @inline(__always)
    mutating func compare(id: Int64, fingerprint: UInt64, repeated: inout Bool) -> Comparison {
        guard let index = position(of: id) else { return .unknown }
        repeated = markListed(index)
        return entries[index].fingerprint == fingerprint ? .unchanged : .changed
    }

    /// Notes that the file listed `id` (a row rejected for another column still lists its order,
    /// which is then neither changed nor removed).
    /// Returns true when `id` is a known order.
    @discardableResult
    mutating func noteListed(id: Int64) -> Bool {
        guard let index = position(of: id) else { return false }
        _ = markListed(index)
        return true
    }

    /// Returns true when it was listed already.
    private mutating func markListed(_ index: Int) -> Bool {
        let mask: UInt64 = 1 << UInt64(index & 63)
        let word = listed[index >> 6]
        if word & mask != 0 { return true }
        listed[index >> 6] = word | mask
        listedCount += 1
        return false
    }

    /// The known orders the file did not list, in id order.
    func forEachUnlisted(_ body: (Int64) throws -> Void) rethrows {
        for (index, entry) in entries.enumerated() where listed[index >> 6] & (1 << UInt64(index & 63)) == 0 {
            try body(entry.id)
        }
    }
}
