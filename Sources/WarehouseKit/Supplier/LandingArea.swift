public import Foundation

/// The folder where every pull keeps what it received, before anything is loaded:
/// `<home>/landing/<yyyy-mm-dd>/pull-<yyyymmddThhmmssZ>-page-NNN.json` for each raw API
/// response, and `pull-<…>.csv` with the pull's orders in the supplier's CSV layout, so that
/// any pull can be replayed with `warehouse ingest --incremental FILE` (or audited by hand).
///
/// Pages are written as they arrive, so a failed pull still leaves its evidence; the CSV
/// appears only once every page was read and checked (it is written as `.partial` first).
/// Nothing here is ever deleted by the tool: retention is the operator's call (docs/cloud.md).
///
/// The files hold every customer's orders, so they are the owner's only: files 0600 in
/// folders 0700, whatever the umask, and folders an earlier version left open are tightened.
public struct LandingArea: Sendable {
    public let root: URL

    public init(home: URL) {
        root = home.appendingPathComponent("landing", isDirectory: true)
    }

    /// The files of one pull.
    public struct Pull: Sendable {
        public let folder: URL
        /// `pull-20231210T020000Z` (with `-2`, `-3` … when a pull started in the same second).
        public let stem: String

        public func pageURL(_ number: Int) -> URL {
            folder.appendingPathComponent(stem + "-page-" + Self.padded(number) + ".json")
        }

        public var csvURL: URL { folder.appendingPathComponent(stem + ".csv") }
        public var gzipCSVURL: URL { folder.appendingPathComponent(stem + ".csv.gz") }
        var partialURL: URL { folder.appendingPathComponent(stem + ".csv.partial") }

        func writePage(_ number: Int, _ body: Data) throws(SupplierError) -> URL {
            let url = pageURL(number)
            let handle = try LandingArea.createPrivateFile(url)
            do {
                try handle.write(contentsOf: body)
                try handle.close()
            } catch {
                throw SupplierError(.landing, "cannot write \(url.path): \(error.localizedDescription)")
            }
            return url
        }

        /// Moves the finished CSV to its final name (`.csv.gz` when the bytes are gzip).
        func publishCSV(gzip: Bool = false) throws(SupplierError) -> URL {
            let target = gzip ? gzipCSVURL : csvURL
            do {
                try FileManager.default.moveItem(at: partialURL, to: target)
            } catch {
                throw SupplierError(.landing, "cannot rename \(partialURL.path): \(error.localizedDescription)")
            }
            return target
        }

        /// Removes the unfinished CSV of a pull that failed; its pages stay.
        func discardPartial() {
            try? FileManager.default.removeItem(at: partialURL)
        }

        private static func padded(_ number: Int) -> String {
            let text = String(number)
            return String(repeating: "0", count: max(0, 3 - text.count)) + text
        }
    }

    /// Creates the day's folder and reserves a file stem for a pull started at `date` (UTC).
    /// The reservation is the `.partial` CSV, created exclusively, so two pulls never share files.
    func begin(at date: Date) throws(SupplierError) -> Pull {
        let components = Calendar.utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let day = "\(pad(components.year, 4))-\(pad(components.month, 2))-\(pad(components.day, 2))"
        let stamp = "\(pad(components.year, 4))\(pad(components.month, 2))\(pad(components.day, 2))T"
            + "\(pad(components.hour, 2))\(pad(components.minute, 2))\(pad(components.second, 2))Z"
        let folder = root.appendingPathComponent(day, isDirectory: true)
        try Self.createPrivateFolder(root)
        try Self.createPrivateFolder(folder)
        for suffix in 1...1000 {
            let pull = Pull(folder: folder, stem: "pull-" + stamp + (suffix == 1 ? "" : "-\(suffix)"))
            let taken = [pull.pageURL(1), pull.csvURL, pull.gzipCSVURL].contains { FileManager.default.fileExists(atPath: $0.path) }
            if taken { continue }
            let descriptor = open(pull.partialURL.path, O_WRONLY | O_CREAT | O_EXCL, Self.fileMode)
            if descriptor >= 0 {
                close(descriptor)
                return pull
            }
            if errno != EEXIST {
                throw SupplierError(.landing, "cannot create \(pull.partialURL.path): \(String(cString: strerror(errno)))")
            }
        }
        throw SupplierError(.landing, "more than 1000 pulls started at \(stamp) in \(folder.path)")
    }

    static let fileMode: mode_t = 0o600
    static let folderMode: mode_t = 0o700

    /// Creates `folder` (and its parents) if need be, and makes it 0700 even when it existed.
    static func createPrivateFolder(_ folder: URL) throws(SupplierError) {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: Int(folderMode)])
        } catch {
            throw SupplierError(.landing, "cannot create the landing folder \(folder.path): \(error.localizedDescription)")
        }
        guard chmod(folder.path, folderMode) == 0 else {
            throw SupplierError(.landing, "cannot make \(folder.path) private (0700): \(String(cString: strerror(errno)))")
        }
    }

    /// Opens `url` for writing, created 0600 or emptied (and made 0600) if it exists: the mode
    /// is set as the file is created, so its bytes are never readable by others, not even briefly.
    static func createPrivateFile(_ url: URL) throws(SupplierError) -> FileHandle {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, fileMode)
        guard descriptor >= 0 else {
            throw SupplierError(.landing, "cannot create \(url.path): \(String(cString: strerror(errno)))")
        }
        guard fchmod(descriptor, fileMode) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw SupplierError(.landing, "cannot make \(url.path) private (0600): \(reason)")
        }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }
}

extension Calendar {
    fileprivate static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
