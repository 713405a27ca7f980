/// What landing, the streamed sums and the fingerprints need of a valid row besides its keys.
protocol OrderValues {
    var orderID: Int64 { get }
    var priceCents: Int64 { get }
    var date: CivilDate { get }
    var passengerCount: Int32 { get }
}

/// One input row after validation and normalisation, ready to be keyed and landed.
struct ValidatedOrder: Equatable, OrderValues {
    var orderID: Int64
    /// Trimmed, inner whitespace collapsed; valid UTF-8, no NUL.
    var customerName: String
    /// Lower-case, `-` and spaces as `_`.
    var productID: String
    /// Exact price in cents: no binary floating point anywhere.
    var priceCents: Int64
    var date: CivilDate
    var passengerCount: Int32
}

/// A valid row as the loader streams it: the customer name and product id stay bytes
/// (normalised, valid UTF-8) in the record or the validator's buffers, until the next record.
struct OrderFields: OrderValues {
    var orderID: Int64
    var customerName: UnsafeRawBufferPointer
    var productID: UnsafeRawBufferPointer
    var priceCents: Int64
    var date: CivilDate
    var passengerCount: Int32
}

/// Why a row was rejected: the column (nil for the whole record) and a reason a person can act on.
struct RowRejection: Error, Equatable {
    var column: String?
    var reason: String
}

/// Which calendar days a load has met, as a bitmap over years 1000–9999 (about 3.7 MB when
/// first used): one store per row instead of a hash-set insert.
struct DateSet {
    private var seen: [Bool] = []
    private(set) var members: [Int32] = []

    @inline(__always) private static func index(_ key: Int32) -> Int {
        Int(key / 10_000 - 1000) * 416 + Int(key / 100 % 100) * 32 + Int(key % 100)
    }

    /// Adds `key` (yyyymmdd); returns true when it was new.
    @inline(__always)
    mutating func insert(_ key: Int32) -> Bool {
        if seen.isEmpty { seen = [Bool](repeating: false, count: 9_000 * 416) }
        let index = Self.index(key)
        if seen[index] { return false }
        seen[index] = true
        members.append(key)
        return true
    }
}
