import Foundation

/// A temporary copy of standard input, written as it streams, removed when the load ends.
final class InputSpool {
    let path: String
    private let handle: FileHandle

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("warehouse-stdin-\(getpid())-\(UUID().uuidString).csv").path
        _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
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
