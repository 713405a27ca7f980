import Foundation

/// The orders the warehouse holds when a merge load starts, one 64-bit fingerprint of each
/// order's values by order_id, plus one bit to note that the file listed it. Dense ids (the
/// usual case: a supplier numbers its orders) are kept as a plain array indexed by id, 8 bytes
/// an order; sparse ones as sorted id and fingerprint pairs, 16 bytes an order.
///
/// With it, each row of a daily snapshot is compared while it streams: an unchanged order (the
/// great majority) never goes to the server at all; only new, changed and restored orders are
/// landed, and the orders the file never listed are known the moment it ends. Comparing on the
/// server instead means landing every row and hash-joining millions of them with the facts.
///
/// A fingerprint is a hash: two different versions of one order could share one. The chance
/// is 2^-63 per changed order, far below that of a disk error.
struct KnownOrders {
    struct Entry {
        var id: Int64
        var fingerprint: UInt64
    }

    /// Dense storage: the fingerprint of order `base + i` at `i`, 0 where there is no order.
    private var dense: [UInt64] = []
    private var base: Int64 = 0
    private var isDense = false
    /// Sparse storage: sorted by id.
    private var entries: [Entry] = []
    /// One bit per slot (dense) or entry (sparse): listed by the file.
    private var listed: [UInt64] = []
    private(set) var listedCount = 0
    private(set) var count = 0
    /// Where the last lookup found its id: files are usually in id order, so the next id is
    /// most often the next entry and the lookup costs no search.
    private var cursor = 0

    enum Comparison {
        /// Not among the known orders: new, or removed earlier and listed again.
        case unknown
        case unchanged
        case changed
    }

    /// Dense when the id range is at most a quarter larger than the number of orders.
    static func prefersDense(count: Int, range: ClosedRange<Int64>) -> Bool {
        let span = range.upperBound - range.lowerBound
        return count > 0 && span >= 0 && span < Int64(count) + Int64(count) / 4 + 1024
    }

    private mutating func prepare(count expected: Int, range: ClosedRange<Int64>?) {
        if let range, Self.prefersDense(count: expected, range: range) {
            isDense = true
            base = range.lowerBound
            dense = [UInt64](repeating: 0, count: Int(range.upperBound - range.lowerBound) + 1)
            listed = [UInt64](repeating: 0, count: (dense.count + 63) / 64)
        } else {
            entries.reserveCapacity(expected)
        }
    }

    private mutating func append(_ entry: Entry) {
        if isDense {
            dense[Int(entry.id - base)] = entry.fingerprint
        } else {
            entries.append(entry)
        }
        count += 1
    }

    private mutating func finish(sorted: Bool) {
        if !isDense {
            if !sorted { entries.sort { $0.id < $1.id } }
            listed = [UInt64](repeating: 0, count: (entries.count + 63) / 64)
        }
    }

    /// Reads `count` entries (sorted pairs) written by ``write(to:updatedWith:)``, whose ids lie in `range`.
    init(reading descriptor: Int32, count: Int, range: ClosedRange<Int64>?) throws {
        prepare(count: count, range: range)
        var chunk = [Entry](repeating: Entry(id: 0, fingerprint: 0), count: 1 << 16)
        var remaining = count
        while remaining > 0 {
            let take = min(remaining, chunk.count)
            try chunk.withUnsafeMutableBytes { bytes in
                var offset = 0
                let wanted = take * MemoryLayout<Entry>.stride
                while offset < wanted {
                    let got = Foundation.read(descriptor, bytes.baseAddress! + offset, wanted - offset)
                    guard got > 0 else { throw CocoaError(.fileReadCorruptFile) }
                    offset += got
                }
            }
            for index in 0..<take {
                if isDense, !(range.map { $0.contains(chunk[index].id) } ?? false) { throw CocoaError(.fileReadCorruptFile) }
                append(chunk[index])
            }
            remaining -= take
        }
        finish(sorted: true)
    }

    /// The listed known orders in id order, with their fingerprints.
    private func forEachListed(_ body: (Entry) throws -> Void) rethrows {
        if isDense {
            for (index, fingerprint) in dense.enumerated() where fingerprint != 0 && listed[index >> 6] & (1 << UInt64(index & 63)) != 0 {
                try body(Entry(id: base + Int64(index), fingerprint: fingerprint))
            }
        } else {
            for (index, entry) in entries.enumerated() where listed[index >> 6] & (1 << UInt64(index & 63)) != 0 {
                try body(entry)
            }
        }
    }

    /// Writes the orders as they are once this load commits: the listed known orders, with the
    /// fingerprints of the rows this load landed (changed, new, restored) in place of theirs.
    /// Returns how many were written and the range of their ids.
    func write(to descriptor: Int32, updatedWith landed: [(id: Int64, fingerprint: UInt64)]) throws
        -> (count: Int, range: ClosedRange<Int64>?) {
        let landed = landed.sorted { $0.id < $1.id }
        var buffer: [Entry] = []
        buffer.reserveCapacity(1 << 16)
        var written = 0
        var lowest: Int64?, highest: Int64?
        func emit(_ entry: Entry) throws {
            if lowest == nil { lowest = entry.id }
            highest = entry.id
            buffer.append(entry)
            if buffer.count == buffer.capacity { try flush() }
        }
        func flush() throws {
            try buffer.withUnsafeBytes { try KnownOrdersCache.writeAll(descriptor, $0) }
            written += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
        var next = 0
        try forEachListed { entry in
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
        guard let lowest, let highest else { return (written, nil) }
        return (written, lowest...highest)
    }

    private init() {}

    /// Reads every fact's id and values (one sequential COPY) and fingerprints them.
    static func read(from connection: PostgresConnection) throws -> KnownOrders {
        var known = KnownOrders()
        // Sized up front from the planner's row count and the id range (an index read): growing
        // by doubling would hold two copies at once.
        let shape = try connection.execute("""
            select greatest(c.reltuples, 0)::bigint as n, (select min(order_id) from warehouse.fact_orders) as low,
                   (select max(order_id) from warehouse.fact_orders) as high
            from pg_catalog.pg_class as c where c.oid = 'warehouse.fact_orders'::regclass
            """).single()
        let estimate = try shape.int("n")
        let range = try shape.optionalInt("low").flatMap { low in try shape.optionalInt("high").map { Int64(low)...Int64($0) } }
        known.prepare(count: estimate + estimate / 50 + 1024, range: range)
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
            known.append(entry)
        }
        known.finish(sorted: sorted)
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
        // 0 marks "no such order" in the dense layout.
        return hash | 1
    }

    /// The slot (dense) or entry (sparse) of a known order.
    private mutating func position(of id: Int64) -> Int? {
        if isDense {
            let index = id &- base
            guard index >= 0, index < Int64(dense.count), dense[Int(index)] != 0 else { return nil }
            return Int(index)
        }
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
        let known = isDense ? dense[index] : entries[index].fingerprint
        return known == fingerprint ? .unchanged : .changed
    }

    /// Notes that the file listed `id` (a row rejected for another column still lists its order,
    /// which is then neither changed nor removed). Returns true when `id` is a known order.
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
        if isDense {
            for (index, fingerprint) in dense.enumerated() where fingerprint != 0 && listed[index >> 6] & (1 << UInt64(index & 63)) == 0 {
                try body(base + Int64(index))
            }
        } else {
            for (index, entry) in entries.enumerated() where listed[index >> 6] & (1 << UInt64(index & 63)) == 0 {
                try body(entry.id)
            }
        }
    }
}
