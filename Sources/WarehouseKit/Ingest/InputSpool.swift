import Foundation

/// A private temporary copy of a stream (standard input, a FIFO), written as it is read so that
/// repeated order_ids can be read again; removed when the load ends, and by the next load if a
/// kill left it behind.
final class InputSpool {
    static let prefix = "warehouse-stdin"
    let path: String
    private let handle: FileHandle

    init() throws {
        let file = try PrivateTemporaryFile.create(prefix: Self.prefix, suffix: ".csv")
        path = file.path
        handle = FileHandle(fileDescriptor: file.descriptor, closeOnDealloc: true)
    }

    deinit {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: path)
    }

    func write(_ bytes: UnsafeRawBufferPointer) {
        handle.write(Data(bytes))
    }

    func finish() throws { try handle.synchronize() }
}
