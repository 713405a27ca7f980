/// Settles order_ids that occur more than once in one file (DESIGN.md): exact repeats count
/// once; repeats that differ are all rejected, since nobody can tell which one the supplier meant.
/// Works on the landed rows, so only the few repeated ids cost anything.
struct DuplicateResolver {
    let connection: PostgresConnection
    /// The file to quote raw records from (standard input's spool when reading stdin).
    let rawSource: String
    let rejects: RejectLog

    struct Outcome {
        var exactRepeats = 0
        var removedRows = 0
    }

    func resolve(candidateIDs: [Int64], searchAll: Bool, cache: inout DimensionCache) throws -> Outcome {
        var ids = Array(Set(candidateIDs)).sorted()
        if searchAll {
            ids = try connection.execute("select order_id from staging.orders group by order_id having count(*) > 1 order by 1")
                .rows.map { Int64(try $0.int("order_id")) }
        }
        guard !ids.isEmpty else { return Outcome() }

        let rows = try connection.execute("""
            select order_id, customer_key, product_key, order_date::text as order_date, price::text as price,
                   passenger_count, line_number
            from staging.orders where order_id = any(\(ids)) order by order_id, line_number
            """).rows
        var groups: [Int64: [(values: [String?], line: Int)]] = [:]
        for row in rows {
            let values = [row["customer_key"], row["product_key"], row["order_date"], row["price"], row["passenger_count"]]
            groups[Int64(try row.int("order_id")), default: []].append((values, try row.int("line_number")))
        }

        var outcome = Outcome()
        var dropLines: [Int] = []
        var conflicting: [(id: Int64, lines: [Int])] = []
        for id in ids {
            guard let group = groups[id], group.count > 1 else { continue }
            if group.allSatisfy({ $0.values == group[0].values }) {
                outcome.exactRepeats += group.count - 1
                dropLines += group.dropFirst().map(\.line)
            } else {
                conflicting.append((id, group.map(\.line)))
                dropLines += group.map(\.line)
            }
        }
        outcome.removedRows = dropLines.count
        guard !dropLines.isEmpty else { return outcome }
        let removed = try connection.execute("""
            delete from staging.orders where line_number = any(\(dropLines)) returning customer_key, product_key
            """)
        try pruneNewMembers(removed: removed, cache: &cache)

        guard !conflicting.isEmpty else { return outcome }
        let raw = try RawRecordFinder.records(in: rawSource, lines: Set(conflicting.flatMap(\.lines)))
        var rejected: [(line: Int, reason: String)] = []
        for (id, lines) in conflicting {
            let reason = "order_id \(id) appears on lines \(lines.map(String.init).joined(separator: ", ")) with different values"
            rejected += lines.map { ($0, reason) }
        }
        for (line, reason) in rejected.sorted(by: { $0.line < $1.line }) {
            try rejects.add(line: line, column: "order_id", reason: reason, raw: raw[line] ?? "")
        }
        return outcome
    }

    /// Members first seen on rows just removed, and on no remaining row, are not added.
    private func pruneNewMembers(removed: PostgresResult, cache: inout DimensionCache) throws {
        let customerKeys = Set(try removed.rows.map { Int32(try $0.int("customer_key")) })
        let productKeys = Set(try removed.rows.map { Int16(try $0.int("product_key")) })
        let newCustomers = customerKeys.filter { cache.isNewCustomer($0) }
        let newProducts = productKeys.filter { cache.isNewProduct($0) }
        guard !newCustomers.isEmpty || !newProducts.isEmpty else { return }
        let stillUsed = try connection.execute("""
            select distinct customer_key, null::smallint as product_key from staging.orders where customer_key = any(\(newCustomers.map(Int.init)))
            union all
            select distinct null, product_key from staging.orders where product_key = any(\(newProducts.map(Int.init)))
            """).rows
        let usedCustomers = Set(stillUsed.compactMap { $0["customer_key"].flatMap { Int32($0) } })
        let usedProducts = Set(stillUsed.compactMap { $0["product_key"].flatMap { Int16($0) } })
        cache.forgetNew(customers: newCustomers.subtracting(usedCustomers), products: newProducts.subtracting(usedProducts))
    }
}

/// Finds the raw text of given lines by reading the source again (only when needed).
enum RawRecordFinder {
    static func records(in path: String, lines: Set<Int>) throws -> [Int: String] {
        var found: [Int: String] = [:]
        let scanner = CSVScanner(reader: try ByteReader(path: path))
        try scanner.scan { record in
            if lines.contains(record.line) { found[record.line] = record.rawText }
        }
        return found
    }
}
