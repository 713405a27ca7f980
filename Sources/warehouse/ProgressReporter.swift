import Foundation
import WarehouseKit

/// A one-line progress display on standard error, drawn only when it is a terminal.
final class ProgressReporter: @unchecked Sendable {
    private let enabled: Bool
    private let started = Date()
    private var drawn = false

    init(enabled: Bool) {
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    func update(_ progress: IngestProgress) {
        guard enabled else { return }
        let elapsed = max(Date().timeIntervalSince(started), 0.001)
        var line = "\(progress.phase): \(progress.rows) rows, \(Int(Double(progress.rows) / elapsed)) rows/s"
        if progress.sourceBytes > 0 {
            line += ", \(progress.sourceBytes / 1_048_576) MiB read"
            if let size = progress.sourceSize, size > 0 {
                line += " (\(min(100, progress.sourceBytes * 100 / size))%)"
            }
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
        drawn = true
    }

    func clear() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
        drawn = false
    }
}
