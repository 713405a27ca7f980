/// Settles order_ids that occur more than once in one file: exact repeats count
/// once; repeats that differ are all rejected, since nobody can tell which the supplier meant.
/// The landing pass only learns an id repeats at its second occurrence, after the first was
/// sent; so this reads the source again for just those ids, removes every landed copy, and
/// lands the settled rows once. Costs nothing when no id repeats.
struct RepeatResolver {
    let connection: PostgresConnection
    let target: LandingTarget
    /// The file to read again (standard input's spool when reading stdin).
    let rawSource: String
    let layout: ColumnLayout
    let expectedSHA256: String
    let rejects: RejectLog

    struct Outcome {
        var exactRepeats = 0
        /// Valid rows of the repeated ids (landed or, on a merge, left out as unchanged), landed
        /// rows removed (every landed copy of a repeated id) and rows landed again (one per exact repeat).
        var validOccurrences = 0
        var removedRows = 0
        var relandedRows = 0
        /// Customers whose landed rows changed here (their bulk aggregates are stale).
        var touchedCustomers: Set<Int32> = []
    }

    struct Occurrence {
        var line: Int
        /// Physical lines the record covers.
        var lineCount: Int
        var raw: String
        var order: ValidatedOrder
    }

    func resolve(ids: Set<Int64>, cache: inout DimensionCache, usedKeys: inout UsedKeys) throws -> Outcome {
        guard !ids.isEmpty else { return Outcome() }
        let occurrences = try findOccurrences(of: ids)
        var outcome = Outcome()
        var keep: [Occurrence] = []
        var conflicting: [(id: Int64, occurrences: [Occurrence])] = []
        for id in ids.sorted() {
            guard let group = occurrences[id], group.count > 1 else { continue }
            outcome.validOccurrences += group.count
            if group.allSatisfy({ $0.order == group[0].order }) {
                outcome.exactRepeats += group.count - 1
                keep.append(group[0])
            } else {
                conflicting.append((id, group))
            }
        }

        let removed = try connection.execute("""
            delete from \(unsafeRaw: target.tableName) where order_id = any(\(ids.sorted().map { Int($0) })) returning customer_key
            """)
        outcome.removedRows = removed.rowCount
        outcome.touchedCustomers = Set(try removed.rows.map { Int32(try $0.int("customer_key")) })

        if !keep.isEmpty {
            try connection.copyIn(target.copyStatement) { writer in
                target.begin(into: writer.pending)
                defer { target.end(into: writer.pending) }
                for occurrence in keep {
                    let customer = cache.customerKey(occurrence.order.customerName)
                    let product = try cache.productKey(occurrence.order.productID)
                    target.encode(occurrence.order, customer: customer, product: product, line: occurrence.line, into: writer.pending)
                }
            }
            outcome.relandedRows = keep.count
        }

        var rejected: [(occurrence: Occurrence, reason: String)] = []
        for (id, group) in conflicting {
            let lines = group.map { String($0.line) }.joined(separator: ", ")
            let reason = "order_id \(id) appears on lines \(lines) with different values"
            rejected += group.map { ($0, reason) }
        }
        for reject in rejected.sorted(by: { $0.occurrence.line < $1.occurrence.line }) {
            try rejects.add(line: reject.occurrence.line, lines: reject.occurrence.lineCount, column: "order_id",
                            reason: reject.reason, raw: reject.occurrence.raw)
        }
        for key in try forgetUnusedNewMembers(candidates: outcome.touchedCustomers, cache: &cache) {
            usedKeys.forget(customer: key)
        }
        return outcome
    }

    /// Every valid occurrence of `ids` in the source, read again.
    private func findOccurrences(of ids: Set<Int64>) throws -> [Int64: [Occurrence]] {
        let hasher = SHA256Hasher()
        let scanner = CSVScanner(reader: try ByteReader(path: rawSource)) { hasher.update($0) }
        let validator = OrderValidator(layout: layout)
        let idColumn = layout.position(.orderID)
        var found: [Int64: [Occurrence]] = [:]
        var header = true
        try scanner.scan { record -> CSVScanner.Continuation in
            if header { header = false; return .next }
            // The same rule as the landing pass, so records split exactly as they did there.
            if record.spansLines, (try? validator.validate(record)) == nil { return .resumeAfterOpeningLine }
            guard record.count > idColumn, let id = OrderValidator.parseUnsigned(trimmed(record.field(idColumn))),
                  ids.contains(id), let order = try? validator.validate(record) else { return .next }
            found[id, default: []].append(Occurrence(line: record.line, lineCount: record.lineCount, raw: record.rawText, order: order))
            return .next
        }
        guard hasher.finalizeHex() == expectedSHA256 else {
            throw IngestError.interrupted("\(rawSource): the file changed while it was being loaded; nothing was loaded")
        }
        return found
    }

    /// New customers first seen on removed rows and used by no remaining row are not added.
    private func forgetUnusedNewMembers(candidates: Set<Int32>, cache: inout DimensionCache) throws -> Set<Int32> {
        let newOnes = candidates.filter { cache.isNewCustomer($0) }
        guard !newOnes.isEmpty else { return [] }
        let stillUsed = Set(try connection.execute("""
            select distinct customer_key from \(unsafeRaw: target.tableName) where customer_key = any(\(newOnes.map(Int.init)))
            """).rows.map { Int32(try $0.int("customer_key")) })
        let unused = newOnes.subtracting(stillUsed)
        cache.forgetNew(customers: unused)
        return unused
    }
}
