/// Where ``ExportTable/bind(_:to:rowNumber:)`` puts a row's values: a prepared statement, or
/// ``EncodedRows`` to bind later on another thread.
protocol ExportParameterSink {
    mutating func bindNull(at index: Int) throws
    mutating func bind(_ value: Int64, at index: Int) throws
    mutating func bind(_ value: Double, at index: Int) throws
    mutating func bindText(_ utf8: UnsafeRawBufferPointer, at index: Int) throws
}

extension SQLiteStatement: ExportParameterSink {}

/// Rows already parsed into SQLite values, a fixed number per row: the thread that receives
/// COPY text decodes and checks it (``BackgroundCopy``), the one that writes SQLite only binds.
///
/// Values are fixed-size slots in one array; text is copied into one byte buffer and bound
/// from there without another copy. Nothing is allocated per row once the buffers have grown.
struct EncodedRows {
    fileprivate enum Kind: UInt8 { case null, integer, real, text }

    fileprivate struct Slot {
        var kind: Kind
        /// The integer, the double's bits, or the text's offset in `text`.
        var bits: Int64
        var count: Int32
    }

    /// SQLite parameters per row.
    let width: Int
    private var slots: [Slot] = []
    private let text = ByteBuffer(capacity: 1 << 16)

    init(width: Int) {
        self.width = width
        slots.reserveCapacity(width * 4096)
    }

    var count: Int { slots.count / width }

    /// Approximate bytes held, for sizing batches.
    var byteCount: Int { slots.count * MemoryLayout<Slot>.stride + text.count }

    mutating func removeAll() {
        slots.removeAll(keepingCapacity: true)
        text.removeAll()
    }

    /// Starts a row: its `width` slots are NULL until bound.
    mutating func appendRow() {
        slots.append(contentsOf: repeatElement(Slot(kind: .null, bits: 0, count: 0), count: width))
    }

    /// The integer in parameter `index` (1-based, as SQLite counts) of `row`, nil when it holds
    /// another kind of value.
    func integer(row: Int, parameter index: Int) -> Int64? {
        let slot = slots[row * width + index - 1]
        return slot.kind == .integer ? slot.bits : nil
    }

    /// Binds every parameter of `row` to `statement`, the first at parameter `offset + 1` (a
    /// statement that inserts several rows takes each row's values after the previous row's).
    /// Text is bound without a copy: the statement must be stepped before these rows change
    /// (``removeAll()``).
    func bind(row: Int, to statement: SQLiteStatement, offset: Int = 0) throws {
        let base = text.bytes.baseAddress
        for parameter in 1...width {
            let slot = slots[row * width + parameter - 1]
            switch slot.kind {
            case .null: try statement.bindNull(at: offset + parameter)
            case .integer: try statement.bind(slot.bits, at: offset + parameter)
            case .real: try statement.bind(Double(bitPattern: UInt64(bitPattern: slot.bits)), at: offset + parameter)
            case .text:
                try statement.bindText(
                    UnsafeRawBufferPointer(start: base.map { $0 + Int(slot.bits) }, count: Int(slot.count)),
                    at: offset + parameter, copying: false)
            }
        }
    }
}

/// Binding into ``EncodedRows`` records the value in the last row started with ``appendRow()``.
extension EncodedRows: ExportParameterSink {
    private mutating func set(_ index: Int, _ slot: Slot) {
        slots[slots.count - width + index - 1] = slot
    }

    mutating func bindNull(at index: Int) { set(index, Slot(kind: .null, bits: 0, count: 0)) }

    mutating func bind(_ value: Int64, at index: Int) { set(index, Slot(kind: .integer, bits: value, count: 0)) }

    mutating func bind(_ value: Double, at index: Int) {
        set(index, Slot(kind: .real, bits: Int64(bitPattern: value.bitPattern), count: 0))
    }

    mutating func bindText(_ utf8: UnsafeRawBufferPointer, at index: Int) {
        let offset = text.count
        text.append(utf8)
        set(index, Slot(kind: .text, bits: Int64(offset), count: Int32(utf8.count)))
    }
}
