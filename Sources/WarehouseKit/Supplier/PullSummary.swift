import Foundation

/// What a pull did, for people (``text``) and scripts (`--json`).
public struct PullSummary: Sendable, Codable {
    public enum Outcome: String, Sendable, Codable {
        /// Orders were loaded (or were all known already: see ``load``'s counts).
        case loaded
        /// A `--csv-url` download equal to a snapshot loaded before: skipped, as ingest does.
        /// (API pulls always merge: see `Puller.load`.)
        case alreadyLoaded = "already_loaded"
        /// The supplier had no order changed since the mark.
        case nothingNew = "nothing_new"
    }

    public var outcome: Outcome = .loaded
    /// The supplier's URL (credentials removed).
    public var source: String
    /// `incremental`, `full` or `csv`.
    public var mode: String
    /// The `updated_since` asked for; nil for a full pull.
    public var updatedSince: String?
    public var pages = 0
    /// Orders received, over all pages.
    public var ordersReceived = 0
    /// Older versions of orders that changed during the pull and came twice: only the latest is loaded.
    public var superseded = 0
    public var previousMark: String?
    public var highWaterMark: String?
    public var pageFiles: [String] = []
    /// The replayable CSV of this pull (`warehouse ingest --incremental FILE`).
    public var csvFile: String?
    /// The `ops.load_batches` row of this pull.
    public var batchID: Int?
    /// The Ingestor's summary, when something was handed to it.
    public var load: IngestSummary?
    public var elapsedSeconds = 0.0
    public var warnings: [String] = []

    enum CodingKeys: String, CodingKey {
        case outcome, source, mode, updatedSince = "updated_since", pages, ordersReceived = "orders_received", superseded
        case previousMark = "previous_mark", highWaterMark = "high_water_mark", pageFiles = "page_files"
        case csvFile = "csv_file", batchID = "batch_id", load, elapsedSeconds = "elapsed_seconds", warnings
    }

    public var text: String {
        var lines: [String] = []
        let what = mode == "csv" ? "downloaded a CSV snapshot" : "\(ordersReceived) orders in \(pages) page(s)"
        let since = mode == "incremental" ? (updatedSince.map { " changed since \($0)" } ?? " (first pull: everything)") : ""
        lines.append("\(source): \(what)\(since) in \(format2(elapsedSeconds)) s")
        if superseded > 0 { lines.append("  superseded  \(superseded)  (orders changed during the pull: only their latest version is loaded)") }
        switch outcome {
        case .nothingNew:
            lines.append("  nothing new; recorded as batch \(batchID.map(String.init) ?? "?")")
        case .loaded, .alreadyLoaded:
            if let load { lines.append(contentsOf: load.text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }) }
        }
        if let csvFile { lines.append("  landed      \(csvFile)") }
        if mode != "csv" {
            lines.append("  high-water mark \(highWaterMark ?? "none")" + (highWaterMark != previousMark ? " (was \(previousMark ?? "none"))" : " (unchanged)"))
        }
        for warning in warnings { lines.append("  warning: " + warning) }
        return lines.joined(separator: "\n")
    }
}

extension PullSummary {
    /// Pretty-printed JSON with sorted keys.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
