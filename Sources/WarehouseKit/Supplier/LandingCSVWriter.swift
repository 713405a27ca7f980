import Foundation

/// Writes a pull's orders as the supplier's CSV (header first), buffered, into a landing file.
final class LandingCSVWriter {
    private let handle: FileHandle
    private var buffer = ""
    private(set) var rows = 0
    /// Physical lines so far, header included (a quoted field may hold a line break), so that
    /// rows kept elsewhere can be numbered after the file's last line.
    private(set) var lines = 1

    init(url: URL) throws(SupplierError) {
        handle = try LandingArea.createPrivateFile(url)
        buffer = SupplierOrder.csvHeader
    }

    deinit { try? handle.close() }

    func write(_ order: SupplierOrder) throws(SupplierError) {
        var record = ""
        order.appendCSVRecord(to: &record)
        lines += record.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        buffer += record
        rows += 1
        if buffer.utf8.count >= 1 << 20 { try flush() }
    }

    /// Flushes and syncs: the file is complete on disk before anything loads from it.
    func finish() throws(SupplierError) {
        try flush()
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw SupplierError(.landing, "cannot finish the landing CSV: \(error.localizedDescription)")
        }
    }

    private func flush() throws(SupplierError) {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: Data(buffer.utf8))
        } catch {
            throw SupplierError(.landing, "cannot write the landing CSV: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
