/// The foreign keys of the fact rows, checked while they stream in.
///
/// SQLite's `PRAGMA foreign_key_check` looks every row's parents up in their b-trees after the
/// load: three lookups for each of millions of facts, about a sixth of a full export's time. The
/// parents are small tables written first, so their keys are read back once into memory and each
/// fact is checked against them as it is bound: a few array reads per row.
struct ReferenceCheck {
    private var keys: [String: KeySet] = [:]
    /// Missing parents per "child → parent", in the order first seen, with the first offending key.
    private var missing: [(edge: String, rows: Int, firstKey: Int64)] = []

    /// Reads the keys (first column) of `parent` from the file, as it is now.
    mutating func load(parent: String, from database: SQLiteDatabase) throws {
        guard keys[parent] == nil else { return }
        var set = KeySet()
        // The table name comes from the export's own catalog, never from input.
        let statement = try database.makeStatement(sql: "select rowid from \(parent)")
        while try statement.step() { set.insert(statement.int64(at: 0)) }
        keys[parent] = set
    }

    /// Keeps `keys` as the keys of `table` (gathered while its rows were written, so they cost
    /// no read back), unless its keys are known already.
    mutating func record(_ keys: KeySet, of table: String) {
        if self.keys[table] == nil { self.keys[table] = keys }
    }

    /// Whether `value` is a key of `table`, whose keys were loaded or recorded before.
    func contains(_ value: Int64, in table: String) -> Bool {
        keys[table]?.contains(value) == true
    }

    /// The parents' key sets of `table`'s references, in the order of ``ExportTable/references``:
    /// fetched once per table, so the per-row check is a few array reads and no hashing of names.
    /// A parent not loaded yet has no keys (every reference to it is missing).
    func parentKeys(of table: ExportTable) -> [KeySet] {
        table.references.map { keys[$0.parent] ?? KeySet() }
    }

    /// Notes a row of `table` whose `reference` names no parent row; `key` names the row in messages.
    mutating func noteMissing(table: String, _ reference: ExportReference, key: Int64) {
        let edge = "\(table) → \(reference.parent)"
        if let index = missing.firstIndex(where: { $0.edge == edge }) {
            missing[index].rows += 1
        } else {
            missing.append((edge, 1, key))
        }
    }

    /// Lines like "fact_orders → dim_customers: 2 row(s) refer to a missing parent row (first: key 999)".
    var problems: [String] {
        missing.map { "\($0.edge): \($0.rows) row(s) refer to a missing parent row (first: key \($0.firstKey))" }
    }
}

/// A set of integer keys: a bitmap for the dense small keys the warehouse hands out, a `Set`
/// for anything else, so a stray huge key costs a hash entry rather than a gigabyte of bits.
struct KeySet {
    private static let bitmapLimit: Int64 = 1 << 26  // 8 MiB of bits at most
    private var bits: [UInt64] = []
    private var others: Set<Int64> = []

    mutating func insert(_ key: Int64) {
        guard key >= 0, key < Self.bitmapLimit else {
            others.insert(key)
            return
        }
        let word = Int(key >> 6)
        if word >= bits.count { bits.append(contentsOf: repeatElement(0, count: word - bits.count + 1)) }
        bits[word] |= 1 << UInt64(key & 63)
    }

    func contains(_ key: Int64) -> Bool {
        guard key >= 0, key < Self.bitmapLimit else { return others.contains(key) }
        let word = Int(key >> 6)
        return word < bits.count && bits[word] & (1 << UInt64(key & 63)) != 0
    }
}
