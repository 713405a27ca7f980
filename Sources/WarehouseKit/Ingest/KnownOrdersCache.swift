import Foundation

/// The known orders' fingerprints kept on disk between loads, so that a daily merge reads 16
/// bytes an order from a local file instead of every fact from the server.
///
/// The copy names the state it describes: the database (its name and oid), the latest succeeded
/// batch (id and finish time) and the value of `ops.fact_orders_changes`, which every statement
/// that changes `warehouse.fact_orders` moves. A load uses the copy only when all of them still
/// hold; anything else (a manual change, another load, another server) reads the facts again.
/// The file is written after the load committed, under a temporary name and renamed, mode 0600.
struct KnownOrdersCache {
    let directory: URL

    /// What the warehouse is now, read inside the load's transaction.
    struct State: Equatable {
        var key: String

        static func read(from connection: PostgresConnection) throws -> State {
            let row = try connection.execute("""
                select current_database() || ':' || (select oid from pg_catalog.pg_database where datname = current_database())
                       || ':' || coalesce((select batch_id || '@' || extract(epoch from finished_at)::text
                                           from ops.load_batches where status = 'succeeded' order by batch_id desc limit 1), 'none')
                       || ':' || (select last_value || '/' || is_called from ops.fact_orders_changes) as key
                """).single()
            return State(key: try row.string("key"))
        }
    }

    private static let magic = Array("WHKNOWN2".utf8)

    var file: URL { directory.appendingPathComponent("known-orders.bin") }

    /// Header: magic (8 bytes), key length (4), entry count (4), lowest and highest id (8 + 8),
    /// the key; then the entries, sorted id and fingerprint pairs.
    private static let headerSize = 32

    /// The known orders, when the copy describes `state`.
    func load(matching state: State) -> KnownOrders? {
        let descriptor = open(file.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var header = [UInt8](repeating: 0, count: Self.headerSize)
        guard read(descriptor, &header, Self.headerSize) == Self.headerSize, Array(header.prefix(8)) == Self.magic else { return nil }
        let (keyLength, entryCount, lowest, highest) = header.withUnsafeBytes {
            (Int($0.loadUnaligned(fromByteOffset: 8, as: UInt32.self)), Int($0.loadUnaligned(fromByteOffset: 12, as: UInt32.self)),
             $0.loadUnaligned(fromByteOffset: 16, as: Int64.self), $0.loadUnaligned(fromByteOffset: 24, as: Int64.self))
        }
        var key = [UInt8](repeating: 0, count: keyLength)
        guard keyLength < 4096, read(descriptor, &key, keyLength) == keyLength,
              String(decoding: key, as: UTF8.self) == state.key else { return nil }
        return try? KnownOrders(reading: descriptor, count: entryCount, range: entryCount > 0 && lowest <= highest ? lowest...highest : nil)
    }

    /// Writes the copy of `state`: `body` writes the entries and returns how many and their id range.
    func write(state: State, entries body: (Int32) throws -> (count: Int, range: ClosedRange<Int64>?)) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let temporary = directory.appendingPathComponent(".known-orders.bin.tmp-\(getpid())")
        unlink(temporary.path)
        let descriptor = open(temporary.path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ByteReader.Failure.cannotOpen(path: temporary.path, reason: String(cString: strerror(errno))) }
        do {
            defer { close(descriptor) }
            let key = Array(state.key.utf8)
            var header = Self.magic
            withUnsafeBytes(of: UInt32(key.count).littleEndian) { header.append(contentsOf: $0) }
            header.append(contentsOf: [UInt8](repeating: 0, count: Self.headerSize - header.count))
            try Self.writeAll(descriptor, header + key)
            let written = try body(descriptor)
            // The count and range go in the header once known.
            var tail: [UInt8] = []
            withUnsafeBytes(of: UInt32(written.count).littleEndian) { tail.append(contentsOf: $0) }
            withUnsafeBytes(of: written.range?.lowerBound ?? 1) { tail.append(contentsOf: $0) }
            withUnsafeBytes(of: written.range?.upperBound ?? 0) { tail.append(contentsOf: $0) }
            guard pwrite(descriptor, tail, tail.count, 12) == tail.count else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            unlink(temporary.path)
            throw error
        }
        guard rename(temporary.path, file.path) == 0 else {
            unlink(temporary.path)
            throw CocoaError(.fileWriteUnknown)
        }
    }

    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeAll(descriptor, $0) }
    }

    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            guard written > 0 else { throw CocoaError(.fileWriteUnknown) }
            offset += written
        }
    }

    /// Forgets the copy (a load whose new state it cannot describe).
    func discard() { try? FileManager.default.removeItem(at: file) }
}
