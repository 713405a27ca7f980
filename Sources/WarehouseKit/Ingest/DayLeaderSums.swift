import Foundation

/// A first load's or a full snapshot's rows filed by order day, so that each day's biggest customers
/// (`reporting.day_leaders`, migration 0012), its customers and its orders and revenue are found
/// one day at a time once the copy is done (``perDayRows(depth:)``), instead of by group-bys
/// over every fact the load just copied, or by triggers through a snapshot's merge.
///
/// Rows come in file order, every day mixed with every other, and holding them all would cost
/// 8 bytes an order (40 MB at 5M). Each day gets a small buffer instead, written to a private
/// temporary file whenever it fills, so memory stays at a few KiB per day whatever the file's size.
final class DayLeaderSums {
    static let prefix = "warehouse-day-sums"
    /// Entries per buffer, and per chunk of the temporary file (4 KiB).
    static let chunkEntries = 512
    /// The widest range of day keys (`yyyymmdd`) looked up by offset; days beyond go to a dictionary.
    static let maximumKeyRange = 500_000
    /// Past this many distinct days (55 years, 80 MiB of buffers) the rows are no longer filed and
    /// the lists come from the facts: a file of scattered dates must not cost 4 KiB a row.
    static let maximumDays = 20_000

    /// Every day's buffer, one after the other, `chunkEntries` each.
    private var buffers: [UInt64] = []
    private var filled: [Int] = []
    /// Where each day's full chunks are in the temporary file.
    private var chunks: [[Int64]] = []
    private var keys: [Int32] = []
    /// Slot + 1 of each day key from `base`, 0 for a day not seen yet.
    private var slotByOffset: [Int32] = []
    private var base: Int32 = 0
    private var farSlots: [Int32: Int] = [:]
    private var descriptor: Int32 = -1
    private var fileSize: Int64 = 0
    /// The largest customer key added: the sums are an array that long.
    private var maxCustomer: Int32 = 0
    /// A price of 2³² cents or more, a negative key, or more than ``maximumDays`` days: the lists
    /// then come from the facts.
    private(set) var overflowed = false

    /// How long an array indexed by the customer keys added must be.
    var customerCapacity: Int { Int(maxCustomer) + 1 }
    /// The distinct days filed.
    var dayCount: Int { keys.count }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// One valid row: its day (`yyyymmdd`), its customer's key and its price in cents.
    @inline(__always)
    func add(dateKey: Int32, customer: Int32, cents: Int64) throws {
        guard !overflowed, cents >= 0, cents <= Int64(UInt32.max), customer >= 0 else {
            overflowed = true
            return
        }
        if customer > maxCustomer { maxCustomer = customer }
        let offset = Int(dateKey) &- Int(base)
        let slot: Int
        if offset >= 0, offset < slotByOffset.count, slotByOffset[offset] > 0 {
            slot = Int(slotByOffset[offset]) - 1
        } else if keys.count < Self.maximumDays || farSlots[dateKey] != nil {
            slot = newSlot(for: dateKey)
        } else {
            overflowed = true
            return
        }
        let count = filled[slot]
        buffers[slot &* Self.chunkEntries &+ count] = UInt64(UInt32(bitPattern: customer)) << 32 | UInt64(cents)
        filled[slot] = count &+ 1
        if count &+ 1 == Self.chunkEntries { try spill(slot) }
    }

    private func newSlot(for key: Int32) -> Int {
        if let slot = farSlots[key] { return slot }
        let slot = keys.count
        keys.append(key)
        filled.append(0)
        chunks.append([])
        buffers.append(contentsOf: repeatElement(0, count: Self.chunkEntries))
        let low = slotByOffset.isEmpty ? Int(key) : min(Int(base), Int(key))
        let high = slotByOffset.isEmpty ? Int(key) : max(Int(base) + slotByOffset.count - 1, Int(key))
        if high - low < Self.maximumKeyRange {
            if Int(key) < Int(base) || Int(key) >= Int(base) + slotByOffset.count {
                // Room for a year either side (as far as the limit allows), so that days arriving in
                // date order do not copy the table each time.
                let margin = max(0, min(10_000, (Self.maximumKeyRange - 1 - (high - low)) / 2))
                let newBase = max(0, low - margin)
                var wider = [Int32](repeating: 0, count: high + margin - newBase + 1)
                for (offset, value) in slotByOffset.enumerated() where value > 0 { wider[Int(base) + offset - newBase] = value }
                (base, slotByOffset) = (Int32(newBase), wider)
            }
            slotByOffset[Int(key) - Int(base)] = Int32(slot + 1)
        } else {
            farSlots[key] = slot
        }
        return slot
    }

    private func spill(_ slot: Int) throws {
        if descriptor < 0 {
            let file = try PrivateTemporaryFile.create(prefix: Self.prefix)
            descriptor = file.descriptor
            unlink(file.path)
        }
        let bytes = Self.chunkEntries * MemoryLayout<UInt64>.stride
        let written = buffers.withUnsafeBytes {
            pwrite(descriptor, $0.baseAddress! + slot * bytes, bytes, off_t(fileSize))
        }
        guard written == bytes else {
            throw IngestError.interrupted("could not write the per-day sums to a temporary file: \(String(cString: strerror(errno)))")
        }
        chunks[slot].append(fileSize)
        fileSize += Int64(bytes)
        filled[slot] = 0
    }

    /// One day's list: its `depth` biggest customers (ties by key) with their exact day totals, and
    /// the largest total of a customer left out (0 when none is); and the day's orders and cents
    /// (`reporting.daily_totals`).
    struct DayList: Equatable {
        var dateKey: Int32
        var leaders: [(customer: Int32, cents: Int64)]
        var unlistedMax: Int64
        var orders: Int64
        var cents: Int64

        static func == (a: DayList, b: DayList) -> Bool {
            a.dateKey == b.dateKey && a.unlistedMax == b.unlistedMax && a.orders == b.orders && a.cents == b.cents
                && a.leaders.map(\.customer) == b.leaders.map(\.customer) && a.leaders.map(\.cents) == b.leaders.map(\.cents)
        }
    }

    /// Every day's list, in day order. Sums go to an array indexed by customer key (keys are
    /// dense from 1), and the top `depth` are kept in a small heap, not found by sorting the day.
    /// `customers` is handed each day's key and its distinct customers, in day order, on the way.
    func lists(depth: Int, customers: (Int32, [Int32]) throws -> Void = { _, _ in }) throws -> [DayList] {
        var result: [DayList] = []
        result.reserveCapacity(keys.count)
        try forEachDayTotals { dateKey, seen, sums, orders in
            try customers(dateKey, seen)
            var top = TopEntries(capacity: depth + 1)
            var dayOrders: Int64 = 0
            var dayCents: Int64 = 0
            for customer in seen {
                let cents = sums[Int(customer)]
                top.offer(customer: customer, cents: cents)
                dayOrders += Int64(orders[Int(customer)])
                dayCents += cents
            }
            let ranked = top.sorted()
            result.append(DayList(
                dateKey: dateKey, leaders: Array(ranked.prefix(depth)),
                unlistedMax: ranked.count > depth ? ranked[depth].cents : 0, orders: dayOrders, cents: dayCents))
        }
        return result
    }

    /// Calls `day` for each day in date order with its key, its distinct customers (in the order
    /// first seen) and, indexed by customer key, what each of them spent in cents and in how many
    /// orders that day (valid for those customers only). Reads only: two threads may go through
    /// the days at once once no row is added any more.
    func forEachDayTotals(_ day: (_ dateKey: Int32, _ customers: [Int32], _ cents: UnsafeBufferPointer<Int64>,
                                  _ orders: UnsafeBufferPointer<Int32>) throws -> Void) throws {
        // -1: the customer has no order on the day being summed.
        var sums = [Int64](repeating: -1, count: customerCapacity)
        var orders = [Int32](repeating: 0, count: customerCapacity)
        var seen: [Int32] = []
        try forEachDay { dateKey, readEntries in
            seen.removeAll(keepingCapacity: true)
            try readEntries { entries in
                for entry in entries {
                    let customer = Int(entry >> 32)
                    if sums[customer] < 0 {
                        seen.append(Int32(customer))
                        sums[customer] = 0
                    }
                    sums[customer] += Int64(entry & 0xFFFF_FFFF)
                    orders[customer] &+= 1
                }
            }
            try sums.withUnsafeBufferPointer { cents in
                try orders.withUnsafeBufferPointer { counts in try day(dateKey, seen, cents, counts) }
            }
            for customer in seen {
                sums[Int(customer)] = -1
                orders[Int(customer)] = 0
            }
        }
    }

    /// Calls `day` for each day in date order with its key and a function that hands its entries
    /// (`customer << 32 | cents`) to a visitor: the chunks spilled to the file, then its buffer.
    private func forEachDay(_ day: (_ dateKey: Int32, _ readEntries: ((UnsafeBufferPointer<UInt64>) -> Void) throws -> Void) throws -> Void) throws {
        var chunk = [UInt64](repeating: 0, count: Self.chunkEntries)
        for slot in keys.indices.sorted(by: { keys[$0] < keys[$1] }) {
            try day(keys[slot]) { visit in
                for offset in chunks[slot] {
                    let bytes = Self.chunkEntries * MemoryLayout<UInt64>.stride
                    let read = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, bytes, off_t(offset)) }
                    guard read == bytes else {
                        throw IngestError.interrupted("could not read the per-day sums back from their temporary file")
                    }
                    chunk.withUnsafeBufferPointer(visit)
                }
                buffers.withUnsafeBufferPointer { visit(UnsafeBufferPointer(rebasing: $0[slot * Self.chunkEntries ..< slot * Self.chunkEntries + filled[slot]])) }
            }
        }
    }
}

/// The `capacity` best of a stream of (customer, cents): most cents first, then the lower key.
struct TopEntries {
    private var heap: [(customer: Int32, cents: Int64)] = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        heap.reserveCapacity(capacity)
    }

    /// Whether `a` ranks below `b` (the heap keeps the lowest-ranked entry on top).
    @inline(__always)
    private static func below(_ a: (customer: Int32, cents: Int64), _ b: (customer: Int32, cents: Int64)) -> Bool {
        a.cents != b.cents ? a.cents < b.cents : a.customer > b.customer
    }

    mutating func offer(customer: Int32, cents: Int64) {
        let entry = (customer: customer, cents: cents)
        if heap.count < capacity {
            heap.append(entry)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.below(heap[child], heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        } else if capacity > 0, Self.below(heap[0], entry) {
            heap[0] = entry
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var lowest = parent
                if left < heap.count, Self.below(heap[left], heap[lowest]) { lowest = left }
                if right < heap.count, Self.below(heap[right], heap[lowest]) { lowest = right }
                if lowest == parent { break }
                heap.swapAt(parent, lowest)
                parent = lowest
            }
        }
    }

    /// The entries kept, best first.
    func sorted() -> [(customer: Int32, cents: Int64)] {
        heap.sorted { Self.below($1, $0) }
    }
}
