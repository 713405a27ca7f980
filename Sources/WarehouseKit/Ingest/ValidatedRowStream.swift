import Foundation
import Synchronization

/// Reads, scans and validates the input on a thread of its own, one step ahead of the loader,
/// and hands it the outcome in batches, in input order: the valid rows' values (names and product
/// ids as bytes, with their dimension keys) and the rejected records (line, reason, text). Keys
/// are assigned in input order, new members at their first valid row, on a third thread between
/// the two; the loader keeps the rest of what depends on order — repeats, the comparison with the
/// known orders, the sums, the rejects, the COPY — so the result is the one a single thread gives:
/// the same keys in the same first-seen order, the same rejects with the same lines and messages.
///
/// Why keys on a thread of their own: reading was the busier stage. Over a 1M next-day snapshot
/// the reading thread was busy all through the landing while the loader idled a third of it,
/// and looking up 1M names in a customer table far bigger than the caches was a quarter of the
/// reading thread's time. A batch is keyed while the next one is scanned.
///
/// Why a pipeline and not two halves of the file: where a record starts is known only by reading
/// from the top (a quoted field may hold line breaks, and a stray quote is recovered from by
/// reading its following lines again), so a second reader starting mid-file would have to guess
/// and sometimes read again. Here the scanner stays one sequential pass and the split is between
/// reading and loading, which cost about the same.
final class ValidatedRowStream: @unchecked Sendable {
    /// One record after the header: a valid row, or a rejected one (``reject`` ≥ 0).
    struct Row {
        var orderID: Int64 = 0
        var priceCents: Int64 = 0
        /// The physical line the record starts on.
        var line: Int = 0
        var date = CivilDate(year: 1970, month: 1, day: 1)!
        var passengerCount: Int32 = 0
        /// The customer's and product's keys (``StreamedDimensionKeys``); product key -1: none
        /// was left for a new product. The name's bytes are `text[textStart..<nameEnd]`, the
        /// product id's `text[nameEnd..<productEnd]`.
        var customerKey: Int32 = -1
        var productKey: Int16 = -1
        /// This row is the first of a customer (product) new to the dimension.
        var newCustomer = false
        var newProduct = false
        var textStart: Int32 = 0
        var nameEnd: Int32 = 0
        var productEnd: Int32 = 0
        /// Index in ``Batch/rejects``, or -1 for a valid row.
        var reject: Int32 = -1
    }

    struct Reject {
        var line: Int
        var column: String?
        var reason: String
        /// The record's text, or only its first line when a quoted field carried it across lines.
        var raw: String
        /// A quoted field carried it across lines: only its first line is rejected, and reading
        /// went on from the next.
        var spansLines: Bool
        var readableOrderID: Int64?
        /// Physical lines read when this record was (for a reject limit that stops reading).
        var physicalLinesRead: Int
    }

    struct Header {
        var layout: ColumnLayout
        /// Physical lines the header covers.
        var lines: Int
    }

    enum End {
        /// The input was read to its end (`header` nil: it held no record at all).
        case finished(physicalLines: Int, endedWithoutLineEnd: Bool)
        case failed(any Error)
    }

    /// Owned by one thread at a time: the reader fills it, the loader empties it, the queues
    /// hand it over.
    final class Batch: @unchecked Sendable {
        var header: Header?
        var rows: [Row] = []
        let text = ByteBuffer(capacity: 1 << 18)
        var rejects: [Reject] = []
        /// Source bytes read when the batch was full (for progress).
        var sourceBytesRead = 0
        var end: End?

        init(capacity: Int) { rows.reserveCapacity(capacity) }

        fileprivate func reset() {
            header = nil
            rows.removeAll(keepingCapacity: true)
            text.removeAll()
            rejects.removeAll()
            end = nil
        }

        /// Validates `record` and adds it as a row; returns where the scanner goes on.
        @inline(__always)
        fileprivate func add(_ record: CSVScanner.Record, validator: OrderValidator, physicalLinesRead: Int) -> CSVScanner.Continuation {
            var row = Row()
            row.line = record.line
            do throws(RowRejection) {
                let fields = try validator.fields(record)
                row.orderID = fields.orderID
                row.priceCents = fields.priceCents
                row.date = fields.date
                row.passengerCount = fields.passengerCount
                row.textStart = Int32(text.count)
                text.append(fields.customerName)
                row.nameEnd = Int32(text.count)
                text.append(fields.productID)
                row.productEnd = Int32(text.count)
                rows.append(row)
                return .next
            } catch {
                let spansLines = record.spansLines
                row.reject = Int32(rejects.count)
                rejects.append(Reject(
                    line: record.line, column: error.column, reason: error.reason,
                    raw: spansLines ? record.openingLineText : record.rawText, spansLines: spansLines,
                    readableOrderID: validator.readableOrderID(record), physicalLinesRead: physicalLinesRead))
                rows.append(row)
                // Most likely a stray quote that swallowed the lines after it: only the line it
                // opened on is rejected, and the others are read again on their own.
                return spansLines ? .resumeAfterOpeningLine : .next
            }
        }

        /// Keys the full batch's customers and products, in row order. The customer table is far
        /// bigger than the caches: reading the first slot of every lookup before doing any lets
        /// those misses overlap.
        fileprivate func assignKeys(_ keys: inout StreamedDimensionKeys) {
            hashes.removeAll(keepingCapacity: true)
            var touched: UInt64 = 0
            for row in rows {
                let hash = row.reject < 0 ? keys.customerHash(name(row)) : 0
                hashes.append(hash)
                touched ^= keys.touch(customerHash: hash)
            }
            self.touched = touched
            rows.withUnsafeMutableBufferPointer { rows in
                for index in rows.indices where rows[index].reject < 0 {
                    (rows[index].customerKey, rows[index].newCustomer) = keys.customerKey(name(rows[index]), hash: hashes[index])
                    if let product = keys.productKey(productID(rows[index])) {
                        (rows[index].productKey, rows[index].newProduct) = product
                    }
                }
            }
        }

        private var hashes: [UInt64] = []
        /// Keeps the slot reads of ``lookUpKnownMembers(_:)`` from being optimised away.
        private var touched: UInt64 = 0

        func name(_ row: Row) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: text.bytes[Int(row.textStart)..<Int(row.nameEnd)])
        }

        func productID(_ row: Row) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: text.bytes[Int(row.nameEnd)..<Int(row.productEnd)])
        }
    }

    private let scanner: CSVScanner
    private let label: String
    /// Used by the keying thread only.
    private var keys: StreamedDimensionKeys
    private let sourceBytesRead: () -> Int
    private let batchRows: Int
    /// Batches go round: free → (reading thread) → scanned → (keying thread) → full → (loader) → free.
    private let free = Mutex<[Batch]>([])
    private let scanned = Mutex<[Batch]>([])
    private let full = Mutex<[Batch]>([])
    /// Start at zero and are signalled once per batch: libdispatch refuses to free a semaphore
    /// whose count ends below the value it was created with.
    private let freeCount = DispatchSemaphore(value: 0)
    private let scannedCount = DispatchSemaphore(value: 0)
    private let fullCount = DispatchSemaphore(value: 0)
    /// Signalled once by each of the two threads when it ends.
    private let finished = DispatchSemaphore(value: 0)
    private let cancelled = Atomic<Bool>(false)
    private var started = false
    private var joined = false

    private struct Cancelled: Error {}

    /// - Parameters:
    ///   - batchRows: records per batch; `batches` of them are in flight at most (memory stays flat).
    ///   - sourceBytesRead: how far the source has been read (called on the reading thread).
    ///   - keys: the dimensions' members when the load started and where new keys start.
    init(scanner: CSVScanner, label: String,
         keys: StreamedDimensionKeys = StreamedDimensionKeys(known: .init(), nextCustomerKey: 1, nextProductKey: 1), batchRows: Int = 4096, batches: Int = 6, sourceBytesRead: @escaping () -> Int = { 0 }) {
        self.scanner = scanner
        self.label = label
        self.keys = keys
        self.batchRows = max(batchRows, 1)
        self.sourceBytesRead = sourceBytesRead
        free.withLock { list in for _ in 0..<batches { list.append(Batch(capacity: batchRows)) } }
        for _ in 0..<batches { freeCount.signal() }
    }

    deinit { stop() }

    func start() {
        precondition(!started, "started once")
        started = true
        let reader = Thread { [self] in
            Thread.current.name = "csv-reader"
            produce()
            finished.signal()
        }
        // The scanner and validator nest closures deeply; the default 512 KiB is tight.
        reader.stackSize = 8 << 20
        reader.start()
        let keyer = Thread { [self] in
            Thread.current.name = "csv-keys"
            assignKeys()
            finished.signal()
        }
        keyer.start()
    }

    /// The next batch in input order; blocks until it is ready. The last one carries ``Batch/end``.
    func next() -> Batch {
        fullCount.wait()
        return full.withLock { $0.removeFirst() }
    }

    /// Gives a batch back once the loader is done with it.
    func recycle(_ batch: Batch) {
        batch.reset()
        free.withLock { $0.append(batch) }
        freeCount.signal()
    }

    /// Waits until the reading and keying threads are done (stopping them first if they are not):
    /// after it, the scanner, its reader and whatever observes the bytes are the caller's again.
    func stop() {
        guard started, !joined else { return }
        joined = true
        cancel()
        finished.wait()
        finished.wait()
    }

    /// The members new to the dimensions that the keying thread keyed, name → key; after ``stop()``.
    var addedMembers: (customers: ByteKeyTable, products: ByteKeyTable) {
        precondition(!started || joined, "the keying thread still keys rows")
        return keys.added
    }

    /// Tells the reading and keying threads to stop at their next batch, without waiting: for a
    /// loader that gives up, which must not wait for a source that has stalled (a pipe whose writer
    /// is slow). The reading thread holds what it reads from until it ends.
    func cancel() {
        guard started, !cancelled.load(ordering: .acquiring) else { return }
        cancelled.store(true, ordering: .releasing)
        freeCount.signal()
        scannedCount.signal()
    }

    private func takeFree() throws -> Batch {
        freeCount.wait()
        if cancelled.load(ordering: .acquiring) { throw Cancelled() }
        return free.withLock { $0.removeLast() }
    }

    private func ship(_ batch: Batch) {
        batch.sourceBytesRead = sourceBytesRead()
        scanned.withLock { $0.append(batch) }
        scannedCount.signal()
    }

    /// The keying thread: keys each scanned batch in turn and hands it to the loader, until the
    /// batch that ends the input (or a cancel).
    private func assignKeys() {
        while true {
            scannedCount.wait()
            if cancelled.load(ordering: .acquiring) { return }
            let batch = scanned.withLock { $0.removeFirst() }
            batch.assignKeys(&keys)
            let last = batch.end != nil
            full.withLock { $0.append(batch) }
            fullCount.signal()
            if last { return }
        }
    }

    private func produce() {
        guard var batch = try? takeFree() else { return }
        var validator: OrderValidator?
        // What was read is handed on before a read that may block: rows that arrived are loaded
        // (and a load refused) without waiting for the source to go on or end.
        scanner.beforeRead = { [self] in
            guard !batch.rows.isEmpty || batch.header != nil else { return }
            ship(batch)
            batch = try takeFree()
        }
        defer { scanner.beforeRead = nil }
        do {
            try scanner.scan { record -> CSVScanner.Continuation in
                guard let validator else {
                    let names = (0..<record.count).map { String(decoding: record.field($0), as: UTF8.self) }
                    let layout = try ColumnLayout.from(header: names, source: label)
                    validator = OrderValidator(layout: layout)
                    batch.header = Header(layout: layout, lines: record.line + record.lineCount - 1)
                    return .next
                }
                if batch.rows.count >= batchRows {
                    ship(batch)
                    batch = try takeFree()
                }
                // `batch` lives in a box shared with `beforeRead`, so each use of it here would
                // retain and release it (a pair per record); the box holds it throughout the call.
                let linesRead = scanner.physicalLines
                return Unmanaged.passUnretained(batch)._withUnsafeGuaranteedRef { batch in
                    batch.add(record, validator: validator, physicalLinesRead: linesRead)
                }
            }
            batch.end = .finished(physicalLines: scanner.physicalLines, endedWithoutLineEnd: scanner.endedWithoutLineEnd)
        } catch is Cancelled {
            return
        } catch {
            batch.end = .failed(error)
        }
        ship(batch)
    }
}
