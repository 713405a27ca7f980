import Foundation
import Logging

extension Puller {
    /// `--csv-url`: downloads the supplier's plain CSV snapshot into the landing folder and
    /// loads it as a full snapshot, exactly as `warehouse ingest FILE` would (gzip included,
    /// and a file equal to one loaded before skipped).
    func pullCSV(from url: URL) async throws -> PullSummary {
        let started = DispatchTime.now()
        let shown = SupplierConfiguration.display(url)
        var summary = PullSummary(source: shown, mode: "csv")
        summary.warnings = configuration.warnings
        logger.info("downloading \(shown)")

        let files = try landing.begin(at: Date())
        let client = SupplierClient(configuration: configuration, timeouts: options.timeouts, retry: options.retry, logger: logger)
        do {
            let bytes = try await client.download(url, to: files.partialURL)
            logger.info("downloaded \(bytes) bytes")
        } catch {
            files.discardPartial()
            await recordFailedFetch(error, source: "\(shown) (\(files.csvURL.path))", mode: "snapshot")
            throw error
        }
        let csv = try files.publishCSV(gzip: Self.isGzip(files.partialURL))  // checked before the move
        summary.csvFile = csv.path
        let load = try await load(csv: csv, label: "\(shown) (\(csv.path))", incremental: false, remerge: false, mark: nil)
        summary.load = load
        summary.batchID = load.batchID
        summary.outcome = load.outcome == .alreadyLoaded ? .alreadyLoaded : .loaded
        summary.elapsedSeconds = Ingestor.seconds(since: started)
        return summary
    }

    private static func isGzip(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 2)) ?? Data()
        return magic == Data([0x1F, 0x8B])
    }
}
