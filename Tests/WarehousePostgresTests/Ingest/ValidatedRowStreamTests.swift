import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// Reading and validating on a second thread must change nothing: the same rows, rejects, line
/// numbers, messages and first-seen order as one thread reading record by record, wherever the
/// batches happen to end.
@Suite(.blockingWork) struct ValidatedRowStreamTests {
    let header = IngestFixtures.header

    /// What a reader saw, in order, in a form two readers can be compared by.
    enum Event: Equatable {
        case header(lines: Int, fieldCount: Int)
        case valid(line: Int, orderID: Int64, name: String, product: String, cents: Int64, date: Int32, passengers: Int32)
        case rejected(line: Int, column: String?, reason: String, raw: String, spansLines: Bool, id: Int64?, linesRead: Int)
        case finished(physicalLines: Int, endedWithoutLineEnd: Bool)
        case failed(String)
    }

    func scanner(_ text: [UInt8], chunk: Int, buffer: Int) throws -> (CSVScanner, URL) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString).csv")
        try Data(text).write(to: url)
        return (CSVScanner(reader: try ByteReader(path: url.path, chunkSize: chunk), label: "f.csv", bufferSize: buffer), url)
    }

    /// One thread, record by record, with the loader's rule for broken multi-line records.
    func sequential(_ text: [UInt8], chunk: Int = 1 << 20, buffer: Int = 4 << 20) throws -> [Event] {
        let (scanner, url) = try scanner(text, chunk: chunk, buffer: buffer)
        defer { try? FileManager.default.removeItem(at: url) }
        var events: [Event] = []
        var validator: OrderValidator?
        do {
            try scanner.scan { record -> CSVScanner.Continuation in
                guard let validator else {
                    let layout = try ColumnLayout.from(header: (0..<record.count).map { String(decoding: record.field($0), as: UTF8.self) },
                                                       source: "f.csv")
                    validator = OrderValidator(layout: layout)
                    events.append(.header(lines: record.line + record.lineCount - 1, fieldCount: layout.fieldCount))
                    return .next
                }
                do throws(RowRejection) {
                    let order = try validator.validate(record)
                    events.append(.valid(line: record.line, orderID: order.orderID, name: order.customerName, product: order.productID,
                                         cents: order.priceCents, date: order.date.key, passengers: order.passengerCount))
                    return .next
                } catch {
                    events.append(.rejected(line: record.line, column: error.column, reason: error.reason,
                                            raw: record.spansLines ? record.openingLineText : record.rawText, spansLines: record.spansLines,
                                            id: validator.readableOrderID(record), linesRead: scanner.physicalLines))
                    return record.spansLines ? .resumeAfterOpeningLine : .next
                }
            }
            events.append(.finished(physicalLines: scanner.physicalLines, endedWithoutLineEnd: scanner.endedWithoutLineEnd))
        } catch {
            events.append(.failed(String(describing: error)))
        }
        return events
    }

    /// The same file through ``ValidatedRowStream``; `keys` gets each valid row's name, product
    /// and the keys the stream gave them.
    func streamed(_ text: [UInt8], batchRows: Int, batches: Int = 2, chunk: Int = 1 << 20, buffer: Int = 4 << 20,
                  keys: UnsafeMutablePointer<[Keyed]>? = nil) throws -> [Event] {
        let (scanner, url) = try scanner(text, chunk: chunk, buffer: buffer)
        defer { try? FileManager.default.removeItem(at: url) }
        let stream = ValidatedRowStream(scanner: scanner, label: "f.csv", batchRows: batchRows, batches: batches)
        stream.start()
        defer { stream.stop() }
        var events: [Event] = []
        while true {
            let batch = stream.next()
            if let header = batch.header { events.append(.header(lines: header.lines, fieldCount: header.layout.fieldCount)) }
            for row in batch.rows {
                if row.reject >= 0 {
                    let reject = batch.rejects[Int(row.reject)]
                    events.append(.rejected(line: reject.line, column: reject.column, reason: reject.reason, raw: reject.raw,
                                            spansLines: reject.spansLines, id: reject.readableOrderID, linesRead: reject.physicalLinesRead))
                } else {
                    keys?.pointee.append(Keyed(name: String(decoding: batch.name(row), as: UTF8.self), customer: row.customerKey,
                                               newCustomer: row.newCustomer, product: String(decoding: batch.productID(row), as: UTF8.self),
                                               productKey: row.productKey, newProduct: row.newProduct))
                    events.append(.valid(line: row.line, orderID: row.orderID, name: String(decoding: batch.name(row), as: UTF8.self),
                                         product: String(decoding: batch.productID(row), as: UTF8.self), cents: row.priceCents,
                                         date: row.date.key, passengers: row.passengerCount))
                }
            }
            let end = batch.end
            stream.recycle(batch)
            switch end {
            case nil: continue
            case .finished(let lines, let noLineEnd): events.append(.finished(physicalLines: lines, endedWithoutLineEnd: noLineEnd))
            case .failed(let error): events.append(.failed(String(describing: error)))
            }
            return events
        }
    }

    struct Keyed {
        var name: String
        var customer: Int32
        var newCustomer: Bool
        var product: String
        var productKey: Int16
        var newProduct: Bool
    }

    /// Rows of every awkward kind, in runs, so that batch ends fall on and around each of them.
    func trickyFile(rows: Int, lineEnd: String = "\n") -> [UInt8] {
        var text = Array(("\u{FEFF}" + header).utf8)
        func row(_ id: Int) -> String {
            switch id % 13 {
            case 1: return "\"Ann\nLee\",\(id),3.00,2023-12-01,transfer,1"                  // a newline inside quotes
            case 2: return "\"Stray,\(id),1.00,2023-12-01,transfer,1"                        // a quote never closed
            case 3: return "\"Smith, John\",\(id),2.5,2023-11-30,Fast Track,2"               // comma inside quotes, product to normalise
            case 4: return "  Zoë   Ørsted ,\(id),7,2023-10-01T10:00:00Z,transfer,3"       // whitespace to collapse, non-ASCII
            case 5: return "Bob \"The\" Builder,\(id),1.00,2023-12-01,transfer,1"            // a quote inside an unquoted field
            case 6: return "Dora,\(id),-1.00,2023-12-01,transfer,1"                          // a rejected price
            case 7: return "Eve,\(id),1.00,2023-12-01,transfer"                              // a field short
            case 8: return ""                                                                // a blank line
            case 9: return "\"Say \"\"hi\"\"\",\(id),4.00,2023-12-02,lounge,1"               // doubled quotes
            case 10: return "Fay,\(id),1.00,2023-02-30,transfer,1"                           // not a real day
            default: return "Customer \(id % 7),\(id),\(id % 50).25,2023-11-\(10 + id % 19),transfer,\(1 + id % 3)"
            }
        }
        for id in 1...rows { text += Array((row(id) + lineEnd).utf8) }
        text += [0xC3, 0x28] + Array(",\(rows + 1),1.00,2023-12-01,transfer,1\(lineEnd)".utf8)  // not UTF-8
        text += Array("Gus,\(rows + 2),1.00,2023-12-01,transfer,1".utf8)                         // no line end
        return text
    }

    @Test(arguments: [1, 2, 3, 5, 64])
    func batchesChangeNothing(batchRows: Int) throws {
        for lineEnd in ["\n", "\r\n"] {
            let text = trickyFile(rows: 400, lineEnd: lineEnd)
            let reference = try sequential(text)
            #expect(reference.count > 300)
            #expect(reference.contains { if case .rejected(_, _, _, _, true, _, _) = $0 { true } else { false } })
            #expect(try streamed(text, batchRows: batchRows) == reference)
            // Small reads and a small scanner buffer move where records straddle a refill.
            #expect(try streamed(text, batchRows: batchRows, chunk: 7, buffer: 64) == sequential(text, chunk: 7, buffer: 64))
        }
    }

    /// With no members known, each new name gets the next key at its first valid row.
    @Test(arguments: [1, 3, 4096])
    func newMembersAreKeyedInFirstSeenOrder(batchRows: Int) throws {
        var keyed: [Keyed] = []
        _ = try streamed(trickyFile(rows: 2_000), batchRows: batchRows, keys: &keyed)
        var names: [String] = [], products: [String] = []
        var wrong = 0
        for row in keyed {
            let isNewName = !names.contains(row.name), isNewProduct = !products.contains(row.product)
            if isNewName { names.append(row.name) }
            if isNewProduct { products.append(row.product) }
            if row.customer != Int32(names.firstIndex(of: row.name)! + 1) || row.newCustomer != isNewName
                || row.productKey != Int16(products.firstIndex(of: row.product)! + 1) || row.newProduct != isNewProduct {
                wrong += 1
            }
        }
        #expect(keyed.count > 1_000 && names.count > 5 && products.count >= 3)
        #expect(wrong == 0)
    }

    @Test func aRunawayQuoteAndAHeaderErrorArriveInOrder() throws {
        let runaway = Array((header + "\"Open,1,1.00,2023-12-01,transfer,1\n"
            + (2...150).map { "Ann,\($0),1.00,2023-12-01,transfer,1\n" }.joined()).utf8)
        #expect(try streamed(runaway, batchRows: 4) == sequential(runaway))
        let noOrderID = Array("customer_name,price,order_date,product_id,passenger_count\nAnn,1,2023-12-01,t,1\n".utf8)
        let events = try streamed(noOrderID, batchRows: 4)
        #expect(events == (try sequential(noOrderID)))
        #expect(events.count == 1 && { if case .failed = events[0] { true } else { false } }())
        #expect(try streamed([], batchRows: 4) == [.finished(physicalLines: 0, endedWithoutLineEnd: false)])
    }

    @Test func stoppingEarlyEndsTheReadingThread() throws {
        let (scanner, url) = try scanner(trickyFile(rows: 5_000), chunk: 1 << 20, buffer: 4 << 20)
        defer { try? FileManager.default.removeItem(at: url) }
        let stream = ValidatedRowStream(scanner: scanner, label: "f.csv", batchRows: 8, batches: 2)
        stream.start()
        let first = stream.next()
        #expect(first.header != nil)
        // The reader is now blocked on a full queue; cancel must wake it, stop wait for it.
        stream.cancel()
        stream.stop()
        stream.stop()
    }

    /// A load refused part-way must not wait for a source that has stalled: the reading thread
    /// may be blocked on a pipe whose writer neither writes nor closes.
    @Test func aRefusedLoadDoesNotWaitForAStalledPipe() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("stalled-\(UUID().uuidString)").path
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        let loadReturned = DispatchSemaphore(value: 0)
        let writerDone = DispatchSemaphore(value: 0)
        let rows = header + (1...20).map { "Ann,\($0),-1.00,2023-12-01,transfer,1\n" }.joined()
        Thread {
            let descriptor = open(fifo, O_WRONLY)
            _ = rows.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress!, rows.utf8.count) }
            loadReturned.wait()  // stalled: the pipe stays open with nothing more in it
            close(descriptor)
            writerDone.signal()
        }.start()
        var options = IngestOptions()
        options.maxRejects = .count(3)
        let connection = try database.connect()
        #expect(throws: IngestError.self) { try Ingestor(connection: connection, options: options).ingest(path: fifo) }
        loadReturned.signal()
        writerDone.wait()
    }

    /// End to end, with batches of the real size: dimension keys in first-seen order, rejects on
    /// the lines the file has them, around the first batch ends.
    @Test func aLoadAcrossBatchEndsKeepsKeysAndLines() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        var lines: [String] = []
        var expectedRejectLines: [Int] = []
        var firstSeen: [String] = []
        var line = 2
        for id in 1...12_000 {
            let name = "Customer \(id % 5 == 0 ? id : id % 301)"
            let nearBatchEnd = [4095, 4096, 4097, 8191, 8192, 8193].contains(id)
            if nearBatchEnd && id % 2 == 0 {
                lines.append("\"Stray \(id),\(id),1.00,2023-12-01,transfer,1")  // rejected, costs its line only
                expectedRejectLines.append(line)
                line += 1
            } else if nearBatchEnd {
                lines.append("\"\(name)\nsecond line\",\(id),1.00,2023-12-01,transfer,1")  // valid, two lines
                let full = "\(name) second line"
                if !firstSeen.contains(full) { firstSeen.append(full) }
                line += 2
            } else {
                lines.append("\(name),\(id),1.00,2023-12-01,transfer,1")
                if !firstSeen.contains(name) { firstSeen.append(name) }
                line += 1
            }
        }
        let summary = try IngestFixtures.ingest(database, header + lines.joined(separator: "\r\n") + "\r\n")
        #expect(summary.rowsRead == 12_000)
        #expect(summary.linesRead == line - 2)
        #expect(summary.firstRejects.map(\.line) == expectedRejectLines)
        let connection = try database.connect()
        let names = try connection.execute("select customer_name from warehouse.dim_customers order by customer_key").rows
            .map { try $0.string("customer_name") }
        #expect(names == firstSeen)
    }

    /// A next day's snapshot: known and new customers are keyed on the stream's keying thread; the
    /// keys must be the ones one thread gives, new ones in first-seen order.
    @Test func knownAndNewCustomersInterleaved() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        func snapshot(_ ids: ClosedRange<Int>, name: (Int) -> String) -> String {
            header + ids.map { "\(name($0)),\($0),1.00,2023-12-01,\($0 % 3 == 0 ? "Fast Track" : "transfer"),1\n" }.joined()
        }
        _ = try IngestFixtures.ingest(database, snapshot(1...9_000) { "Known \($0 % 500)" })
        // Every 7th order moves to a new customer (some new names repeat), the rest stay known.
        let nextDay = snapshot(1...9_500) { $0 % 7 == 0 ? "New \($0 % 1_300)" : "Known \($0 % 500)" }
        let summary = try IngestFixtures.ingest(database, nextDay)
        var firstSeen: [String] = []
        for id in 1...9_500 where id % 7 == 0 && !firstSeen.contains("New \(id % 1_300)") { firstSeen.append("New \(id % 1_300)") }
        #expect(summary.newCustomers == firstSeen.count)
        let connection = try database.connect()
        let names = try connection.execute("select customer_name from warehouse.dim_customers order by customer_key").rows
            .map { try $0.string("customer_name") }
        var known: [String] = []
        for id in 1...9_000 where !known.contains("Known \(id % 500)") { known.append("Known \(id % 500)") }
        #expect(names == known + firstSeen)
        let moved = try connection.execute("""
            select count(*) as n from warehouse.fact_orders f join warehouse.dim_customers c using (customer_key)
            where c.customer_name like 'New %'
            """).single().int("n")
        #expect(moved == 9_500 / 7)
        try IngestFixtures.expectReportsConsistent(connection)
    }
}
