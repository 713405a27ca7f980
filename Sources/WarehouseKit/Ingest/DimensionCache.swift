/// The dimension keys a load resolves names to, read once per load (under the load lock) and
/// extended in memory with the members this load adds. Keys for new members are assigned here,
/// past the largest key in the table, so every row can be keyed while it streams.
///
/// Names are looked up from the validated bytes (``ByteKeyTable``); a `String` is built only for
/// a member this load adds. While a file streams, the stream's keying thread assigns the keys
/// (``StreamedDimensionKeys``, from the members read from the database, which stay unchanged) and
/// this cache only takes note of the new members; lookups by name serve what comes after.
struct DimensionCache {
    /// The members the dimensions held when the load started.
    struct Members: Sendable {
        fileprivate(set) var customers = ByteKeyTable()
        fileprivate(set) var products = ByteKeyTable(capacity: 16)

        @inline(__always) func customerKey(_ name: UnsafeRawBufferPointer) -> Int32? { customers.value(for: name) }
        @inline(__always) func productKey(_ id: UnsafeRawBufferPointer) -> Int16? {
            products.value(for: id).map { Int16(truncatingIfNeeded: $0) }
        }
    }

    private(set) var known = Members()
    private var customers = ByteKeyTable()
    private var products = ByteKeyTable()
    private(set) var dates = DateSet()
    private(set) var newCustomers = NewMembers()
    private(set) var newProducts: [(key: Int16, id: String)] = []
    private(set) var newDates: [CivilDate] = []
    private var nextCustomerKey: Int32 = 1
    private var nextProductKey: Int16 = 1
    /// Keys from this one on were assigned by this load: a customer is new exactly when its key is.
    private var firstNewCustomerKey: Int32 = 1

    static func load(from connection: PostgresConnection) throws -> DimensionCache {
        var cache = DimensionCache()
        var maximum: Int32 = 0
        var decoder = CopyTextDecoder()
        let customerCount = try connection.execute("select count(*) as n from warehouse.dim_customers").single().int("n")
        cache.known.customers = ByteKeyTable(capacity: customerCount + customerCount / 8 + 1024)
        try connection.copyOut("copy warehouse.dim_customers (customer_key, customer_name) to stdout") { row in
            try decoder.decode(row) { fields in
                guard fields.count == 2, let keyText = fields.string(0), let key = Int32(keyText), let name = fields.string(1) else { return }
                cache.known.customers.set(key, for: name)
                maximum = max(maximum, key)
            }
        }
        cache.nextCustomerKey = maximum + 1
        cache.firstNewCustomerKey = maximum + 1
        var maximumProduct: Int16 = 0
        for row in try connection.execute("select product_key, product_id from warehouse.dim_products").rows {
            let key = Int16(try row.int("product_key"))
            cache.known.products.set(Int32(key), for: try row.string("product_id"))
            maximumProduct = max(maximumProduct, key)
        }
        cache.nextProductKey = maximumProduct + 1
        for row in try connection.execute("select date_key from warehouse.dim_dates").rows {
            _ = cache.dates.insert(Int32(try row.int("date_key")))
        }
        return cache
    }

    /// The customer's key, adding the customer when new.
    mutating func customerKey(_ name: String) -> Int32 {
        var name = name
        return name.withUTF8 { customerKey(UnsafeRawBufferPointer($0)) }
    }

    /// The key of the customer named by `name` (normalised, valid UTF-8), adding the customer when new.
    @inline(__always)
    mutating func customerKey(_ name: UnsafeRawBufferPointer) -> Int32 {
        if let key = known.customerKey(name) ?? customers.value(for: name) { return key }
        let key = nextCustomerKey
        adoptCustomer(key: key, name: name)
        return key
    }

    /// Where the keying thread starts numbering new members (``StreamedDimensionKeys``).
    func streamedKeys() -> StreamedDimensionKeys {
        StreamedDimensionKeys(known: known, nextCustomerKey: nextCustomerKey, nextProductKey: nextProductKey)
    }

    /// Takes note of a new customer given the next key (by the keying thread, or by ``customerKey(_:)``), at its first row.
    /// `indexed: false` while a file streams: the keying thread's table already finds it by name,
    /// and ``adoptStreamedMembers(_:)`` takes that table over when the file ends, instead of a
    /// second copy of every new name (60 bytes and more a customer) being built here meanwhile.
    mutating func adoptCustomer(key: Int32, name: UnsafeRawBufferPointer, indexed: Bool = true) {
        precondition(key == nextCustomerKey, "new customers are keyed in first-seen order")
        nextCustomerKey += 1
        if indexed { customers.set(key, for: name) }
        newCustomers.append(key: key, name: name)
    }

    /// Takes note of a new product given the next key (by the keying thread, or by ``productKey(_:)``), at its first row.
    mutating func adoptProduct(key: Int16, id: UnsafeRawBufferPointer, indexed: Bool = true) {
        precondition(key == nextProductKey, "new products are keyed in first-seen order")
        nextProductKey += 1
        if indexed { products.set(Int32(key), for: id) }
        newProducts.append((key, String(decoding: id, as: UTF8.self)))
    }

    /// After a file streamed with its new members adopted unindexed: the keying thread's tables of
    /// them (``StreamedDimensionKeys/added``) serve the lookups by name from now on.
    /// Should they not hold exactly the members adopted, those are indexed one by one instead.
    mutating func adoptStreamedMembers(_ added: (customers: ByteKeyTable, products: ByteKeyTable)) {
        if customers.isEmpty, added.customers.count == newCustomers.count {
            customers = added.customers
        } else {
            newCustomers.forEach { key, name in customers.set(key, for: name) }
        }
        if products.isEmpty, added.products.count == newProducts.count {
            products = added.products
        } else {
            for entry in newProducts { products.set(Int32(entry.key), for: entry.id) }
        }
    }

    mutating func productKey(_ id: String) throws -> Int16 {
        var id = id
        return try id.withUTF8 { try productKey(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    mutating func productKey(_ id: UnsafeRawBufferPointer) throws -> Int16 {
        if let key = known.productKey(id) ?? products.value(for: id).map({ Int16(truncatingIfNeeded: $0) }) { return key }
        guard nextProductKey < Int16.max else { throw IngestError.integrityViolation("more than 32,766 products") }
        let key = nextProductKey
        adoptProduct(key: key, id: id)
        return key
    }

    mutating func noteDate(_ date: CivilDate) {
        if dates.insert(date.key) { newDates.append(date) }
    }

    /// Lands the new members in `staging.new_*`, for `sql/transform/10_dimensions.sql`.
    func landNewMembers(on connection: PostgresConnection) throws {
        if !newCustomers.isEmpty {
            try connection.copyIn("copy staging.new_customers (customer_key, customer_name) from stdin") { writer in
                try newCustomers.forEach { key, name in
                    CopyText.appendInt(Int64(key), to: writer.pending)
                    writer.pending.append(0x09)
                    CopyText.appendEscaped(name, to: writer.pending)
                    writer.pending.append(0x0A)
                    try writer.flushIfNeeded()
                }
            }
        }
        if !newProducts.isEmpty {
            try connection.copyIn("copy staging.new_products (product_key, product_id) from stdin") { writer in
                for (key, id) in newProducts {
                    CopyText.appendInt(Int64(key), to: writer.pending)
                    writer.pending.append(0x09)
                    CopyText.appendEscaped(id, to: writer.pending)
                    writer.pending.append(0x0A)
                }
            }
        }
        if !newDates.isEmpty {
            try connection.copyIn("copy staging.new_dates (full_date) from stdin") { writer in
                for date in newDates {
                    CopyText.appendDate(date, to: writer.pending)
                    writer.pending.append(0x0A)
                }
            }
        }
    }
}

extension DimensionCache {
    func isNewCustomer(_ key: Int32) -> Bool { key >= firstNewCustomerKey }

    /// Drops customers added by this load that no landed row uses any more.
    mutating func forgetNew(customers: Set<Int32>) {
        guard !customers.isEmpty else { return }
        newCustomers.forEach { key, name in if customers.contains(key) { self.customers.remove(name) } }
        newCustomers.removeAll { customers.contains($0) }
    }
}
