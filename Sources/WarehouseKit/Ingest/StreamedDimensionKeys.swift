/// The customer and product keys of the rows as the keying thread of ``ValidatedRowStream`` meets them, in input order:
/// the members the dimensions held when the load started keep their keys, and each new one gets
/// the next key at its first valid row — exactly the keys the loading thread would assign, so it
/// only takes note of the new members (``DimensionCache/adoptCustomer(key:name:)``).
///
/// Lookups happen a batch at a time: the first slot of every row's lookup is read before any
/// lookup is done, so that the cache misses of a table of 200,000 customers overlap.
struct StreamedDimensionKeys {
    private let known: DimensionCache.Members
    private var addedCustomers: ByteKeyTable
    private var addedProducts: ByteKeyTable
    private var nextCustomerKey: Int32
    private var nextProductKey: Int16

    init(known: DimensionCache.Members, nextCustomerKey: Int32, nextProductKey: Int16) {
        self.known = known
        // The same seed as the known members': one hash serves both lookups.
        addedCustomers = ByteKeyTable(capacity: 1024, sharingSeedOf: known.customers)
        addedProducts = ByteKeyTable(capacity: 16, sharingSeedOf: known.products)
        self.nextCustomerKey = nextCustomerKey
        self.nextProductKey = nextProductKey
    }

    /// The members new to the dimensions, name → key, as keyed so far.
    var added: (customers: ByteKeyTable, products: ByteKeyTable) { (addedCustomers, addedProducts) }

    @inline(__always) func customerHash(_ name: UnsafeRawBufferPointer) -> UInt64 { known.customers.hash(name) }

    /// Reads the slots a lookup of `hash` starts at (see the type's comment).
    @inline(__always) func touch(customerHash hash: UInt64) -> UInt64 {
        known.customers.touch(hash) ^ addedCustomers.touch(hash)
    }

    /// The customer's key, and whether this row is the first of a customer new to the dimension.
    @inline(__always)
    mutating func customerKey(_ name: UnsafeRawBufferPointer, hash: UInt64) -> (key: Int32, isNew: Bool) {
        if let key = known.customers.value(for: name, hash: hash) ?? addedCustomers.value(for: name, hash: hash) { return (key, false) }
        let key = nextCustomerKey
        nextCustomerKey += 1
        addedCustomers.set(key, for: name)
        return (key, true)
    }

    /// The product's key and whether it is new; nil when no key is left (more than 32,766 products).
    @inline(__always)
    mutating func productKey(_ id: UnsafeRawBufferPointer) -> (key: Int16, isNew: Bool)? {
        let hash = known.products.hash(id)
        if let key = known.products.value(for: id, hash: hash) ?? addedProducts.value(for: id, hash: hash) {
            return (Int16(truncatingIfNeeded: key), false)
        }
        guard nextProductKey < Int16.max else { return nil }
        let key = nextProductKey
        nextProductKey += 1
        addedProducts.set(Int32(key), for: id)
        return (key, true)
    }
}
