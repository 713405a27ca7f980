/// The members a load adds, in the order they were keyed, with their names as UTF-8 in one byte
/// arena instead of a `String` each: a first load of the generator's default shape adds a million
/// customers, and a `String` with its array slot costs about 40 bytes more than its bytes.
struct NewMembers {
    private(set) var keys: [Int32] = []
    /// Where each name ends in `bytes`.
    private var ends: [Int] = []
    private var bytes: [UInt8] = []

    var count: Int { keys.count }
    var isEmpty: Bool { keys.isEmpty }

    mutating func append(key: Int32, name: UnsafeRawBufferPointer) {
        keys.append(key)
        bytes.append(contentsOf: name)
        ends.append(bytes.count)
    }

    /// Each member's key and name, in the order they were added.
    func forEach(_ body: (Int32, UnsafeRawBufferPointer) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { all in
            var start = 0
            for index in keys.indices {
                try body(keys[index], UnsafeRawBufferPointer(rebasing: all[start..<ends[index]]))
                start = ends[index]
            }
        }
    }

    /// The names, as text (for tests and messages).
    var names: [String] {
        var names: [String] = []
        forEach { _, name in names.append(String(decoding: name, as: UTF8.self)) }
        return names
    }

    /// Drops the members whose key `shouldRemove` accepts.
    mutating func removeAll(where shouldRemove: (Int32) -> Bool) {
        var kept = NewMembers()
        forEach { key, name in if !shouldRemove(key) { kept.append(key: key, name: name) } }
        self = kept
    }
}
