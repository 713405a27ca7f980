/// Streams one CSV file of orders: the header, each order as a clean, rejected or odd row,
/// the duplicates those rows call for, and the manifest of lines that must be rejected.
///
/// Memory stays flat: rows go into ``BufferedOutput``'s reusable buffer, and the only other
/// state is a handful of duplicates waiting for their place a few rows later.
struct OrderFileWriter {
    /// A duplicate line waiting to be written after a later order.
    private struct Pending {
        var due: Int
        var bytes: [UInt8]
        var reason: RejectReason?
    }

    /// Duplicates appear 1…this many orders after their original.
    private static let maximumDuplicateDelay: UInt64 = 64

    private var output: BufferedOutput
    private var manifest: BufferedOutput?
    private let context: RowContext
    private let dirtySeed: UInt64
    /// A row is rejected when its hash is below `rejectCut`, odd when below `oddityCut`.
    private let rejectCut: UInt64
    private let oddityCut: UInt64
    private var rejectedTurn = 0
    private var oddityTurn = 0
    private var slot = 0
    private var pending: [Pending] = []
    /// The physical line the next record starts on (the header is line 1).
    private var nextLine = 2
    private(set) var summary = GenerateSummary()

    init(
        output: any ByteSink, manifest: (any ByteSink)?, context: RowContext, seed: UInt64, dirtyRate: Double
    ) throws {
        self.output = BufferedOutput(sink: output)
        self.manifest = manifest.map { BufferedOutput(sink: $0, threshold: 1 << 16) }
        self.context = context
        dirtySeed = SplitMix64.mix(seed ^ 0x4449_5254_5921)  // "DIRTY!"
        rejectCut = SeededRandom.Threshold(dirtyRate).value
        oddityCut = SeededRandom.Threshold(dirtyRate * 2).value
        try self.output.append(contentsOf: RowContext.header)
        summary.lines = 1
    }

    /// Writes one order (possibly as a rejected or odd row) and any duplicates now due.
    @inline(__always)
    mutating func write(_ record: OrderRecord) throws {
        if rejectCut == 0 {
            try writeClean(record)
        } else {
            try writeMaybeDirty(record)
        }
        slot += 1
    }

    @inline(__always)
    private mutating func writeClean(_ record: OrderRecord) throws {
        let context = context
        try output.write(reserving: RowContext.maximumRowLength) { start in
            var cursor = ByteCursor(start)
            context.writeClean(record, to: &cursor)
            return cursor.position - start
        }
        nextLine += 1
        summary.records += 1
    }

    /// Writes what is still pending and flushes both outputs (the sinks stay open).
    mutating func finish() throws -> GenerateSummary {
        for waiting in pending { try emit(waiting) }
        pending.removeAll()
        try output.flush()
        try manifest?.flush()
        summary.lines = nextLine - 1
        summary.bytes = output.count
        return summary
    }

    private mutating func writeMaybeDirty(_ record: OrderRecord) throws {
        let hash = SplitMix64.mix(dirtySeed ^ UInt64(bitPattern: Int64(record.orderId)))
        if hash < rejectCut {
            try writeRejected(record)
        } else if hash < oddityCut {
            try writeOdd(record)
        } else {
            try writeClean(record)
        }
        if !pending.isEmpty { try emitDue() }
    }

    private mutating func writeRejected(_ record: OrderRecord) throws {
        let kinds = DirtyRows.Rejected.allCases
        let kind = kinds[rejectedTurn % kinds.count]
        rejectedTurn += 1
        summary.rejectedOrders += 1
        var random = SeededRandom(seed: dirtySeed, stream: UInt64(bitPattern: Int64(record.orderId)))
        if kind == .differingDuplicate {
            // The original looks clean, but it is rejected too once its twin appears.
            try noteRejected(line: nextLine, kind.reason)
            try writeClean(record)
            var twin = record
            if random.next(below: 2) == 0 {
                twin.cents += 1 + Int(random.next(below: 500))
            } else {
                twin.passengers = twin.passengers == 6 ? 5 : twin.passengers + 1
            }
            schedule(context.cleanRow(twin), reason: kind.reason, random: &random)
        } else {
            let fields = DirtyRows.render(kind, record, context: context, random: &random)
            try noteRejected(line: nextLine, kind.reason)
            try writeFields(fields, crlf: false)
        }
    }

    private mutating func writeOdd(_ record: OrderRecord) throws {
        let kinds = DirtyRows.Oddity.allCases
        let kind = kinds[oddityTurn % kinds.count]
        oddityTurn += 1
        summary.oddRecords += 1
        var random = SeededRandom(seed: dirtySeed, stream: UInt64(bitPattern: Int64(record.orderId)))
        if kind == .exactDuplicate {
            let row = context.cleanRow(record)
            try output.append(contentsOf: row)
            nextLine += 1
            summary.records += 1
            schedule(row, reason: nil, random: &random)
        } else {
            let (fields, crlf) = DirtyRows.render(kind, record, context: context, random: &random)
            try writeFields(fields, crlf: crlf)
        }
    }

    private mutating func schedule(_ bytes: [UInt8], reason: RejectReason?, random: inout SeededRandom) {
        let delay = 1 + Int(random.next(below: Self.maximumDuplicateDelay))
        pending.append(Pending(due: slot + delay, bytes: bytes, reason: reason))
    }

    private mutating func emitDue() throws {
        var index = 0
        while index < pending.count {
            if pending[index].due <= slot {
                try emit(pending.remove(at: index))
            } else {
                index += 1
            }
        }
    }

    private mutating func emit(_ waiting: Pending) throws {
        if let reason = waiting.reason { try noteRejected(line: nextLine, reason) }
        try output.append(contentsOf: waiting.bytes)
        nextLine += 1
        summary.records += 1
    }

    private mutating func writeFields(_ fields: [[UInt8]], crlf: Bool) throws {
        var row: [UInt8] = []
        var lines = 1
        for (index, field) in fields.enumerated() {
            if index > 0 { row.append(CSVField.comma) }
            row.append(contentsOf: field)
            for byte in field where byte == CSVField.newline { lines += 1 }
        }
        if crlf { row.append(CSVField.carriageReturn) }
        row.append(CSVField.newline)
        try output.append(contentsOf: row)
        nextLine += lines
        summary.records += 1
    }

    private mutating func noteRejected(line: Int, _ reason: RejectReason) throws {
        summary.rejectedRecords += 1
        guard manifest != nil else { return }
        var entry: [UInt8] = []
        entry.appendWithCursor(room: 24) { $0.putInt(line) }
        entry.append(UInt8(ascii: "\t"))
        entry.append(contentsOf: reason.rawValue.utf8)
        entry.append(CSVField.newline)
        try manifest!.append(contentsOf: entry)
    }
}
