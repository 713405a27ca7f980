/// A reusable byte buffer in front of a ``ByteSink``, so the sink sees big chunks and nothing
/// is allocated per record.
///
/// The buffer is one `[UInt8]` allocated up front; encoders either append (`append`) or,
/// on hot paths, write through a raw pointer into reserved room (`write(reserving:_:)`), which
/// costs one uniqueness check per record instead of one per byte.
public struct BufferedOutput {
    private var storage: [UInt8]
    /// Bytes of `storage` filled and not yet flushed.
    public private(set) var pendingCount = 0
    public let sink: any ByteSink
    /// Flush once this many bytes are pending.
    public let threshold: Int
    /// Bytes handed to the sink so far.
    public private(set) var flushedCount = 0

    public init(sink: any ByteSink, threshold: Int = 1 << 20) {
        self.sink = sink
        self.threshold = threshold
        storage = [UInt8](repeating: 0, count: threshold + (1 << 16))
    }

    /// Bytes written so far, pending ones included.
    public var count: Int { flushedCount + pendingCount }

    /// Lets `body` write up to `room` bytes at a raw pointer; it returns how many it wrote.
    /// Flushes first when the room is not there, and afterwards once past the threshold.
    @inline(__always)
    public mutating func write(reserving room: Int, _ body: (UnsafeMutablePointer<UInt8>) throws -> Int) throws {
        if pendingCount + room > storage.count { try makeRoom(room) }
        let start = pendingCount
        let written = try storage.withUnsafeMutableBufferPointer { try body($0.baseAddress! + start) }
        precondition(written >= 0 && written <= room, "wrote more than the reserved room")
        pendingCount += written
        if pendingCount >= threshold { try flush() }
    }

    public mutating func append(_ byte: UInt8) throws {
        try write(reserving: 1) { pointer in
            pointer.pointee = byte
            return 1
        }
    }

    public mutating func append(contentsOf bytes: some Collection<UInt8>) throws {
        let count = bytes.count
        try write(reserving: count) { pointer in
            _ = UnsafeMutableBufferPointer(start: pointer, count: count).initialize(from: bytes)
            return count
        }
    }

    /// Hands every pending byte to the sink (it does not close the sink).
    public mutating func flush() throws {
        guard pendingCount > 0 else { return }
        let count = pendingCount
        try storage.withUnsafeBytes { try sink.write(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        flushedCount += count
        pendingCount = 0
    }

    private mutating func makeRoom(_ room: Int) throws {
        try flush()
        if room > storage.count { storage = [UInt8](repeating: 0, count: room) }
    }
}
