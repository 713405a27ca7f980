import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// `warehouse generate`'s library: determinism, exact counts, the dirty-row manifest checked
/// against an independent reader, daily snapshots and gzip output.
@Suite("Order generator", .blockingWork)
struct GeneratorTests {
    // MARK: - Helpers

    struct Output {
        var csv: [UInt8]
        var manifest: [UInt8]
        var summary: GenerateSummary

        /// Manifest lines as line → reason.
        var manifestEntries: [Int: String] {
            var entries: [Int: String] = [:]
            for line in String(decoding: manifest, as: UTF8.self).split(separator: "\n") {
                let parts = line.split(separator: "\t")
                entries[Int(parts[0])!] = String(parts[1])
            }
            return entries
        }
    }

    static func generate(_ options: GeneratorOptions, snapshot: Int = 1) throws -> Output {
        let csv = MemorySink()
        let manifest = MemorySink()
        let summary = try OrderGenerator(options: options).writeSnapshot(number: snapshot, to: csv, manifest: manifest)
        return Output(csv: csv.bytes, manifest: manifest.bytes, summary: summary)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("generator-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }

    // MARK: - Determinism

    @Test func sameSeedGivesSameBytes() throws {
        let options = GeneratorOptions(orders: 3_000, seed: 7, dirtyRate: 0.05)
        let first = try Self.generate(options)
        let second = try Self.generate(options)
        #expect(first.csv == second.csv)
        #expect(first.manifest == second.manifest)
        #expect(first.summary == second.summary)
    }

    @Test func differentSeedGivesDifferentData() throws {
        let first = try Self.generate(GeneratorOptions(orders: 1_000, seed: 1))
        let second = try Self.generate(GeneratorOptions(orders: 1_000, seed: 2))
        let firstRows = SupplierCSVChecker(first.csv).records.map(\.fields)
        let secondRows = SupplierCSVChecker(second.csv).records.map(\.fields)
        let same = zip(firstRows, secondRows).filter { $0 == $1 }.count
        #expect(same < 10, "\(same) identical rows out of 1000")
    }

    /// Pins the output of one seed, so a change in the PRNG, the pools or the platform's
    /// arithmetic shows up here. Changing the generator on purpose means updating the value.
    @Test func knownSeedGivesKnownBytes() throws {
        let output = try Self.generate(GeneratorOptions(orders: 2_000, seed: 42, dirtyRate: 0.05))
        let head = String(decoding: output.csv.prefix(200), as: UTF8.self)
        #expect(Self.fnv1a(output.csv) == 5_798_042_193_006_233_438, "first bytes: \(head)")
        #expect(Self.fnv1a(output.manifest) == 16_390_723_309_403_680_793)
    }

    // MARK: - Shape

    @Test func cleanFileHasExactlyTheOrdersAsked() throws {
        let output = try Self.generate(GeneratorOptions(orders: 2_500, seed: 3))
        let file = SupplierCSVChecker(output.csv)
        #expect(file.header == ["customer_name", "order_id", "price", "order_date", "product_id", "passenger_count"])
        #expect(file.records.count == 2_500)
        #expect(file.lineCount == 2_501)
        #expect(file.records.map { Int($0.fields[1])! } == Array(100..<2_600))
        #expect(output.manifest.isEmpty)
        #expect(output.summary.records == 2_500)
        #expect(output.summary.lines == 2_501)
        #expect(output.summary.orders == 2_500)
        #expect(output.summary.loadableOrders == 2_500)
        #expect(output.summary.bytes == output.csv.count)
        let (rejected, orders) = file.expectedLoad()
        #expect(rejected.isEmpty)
        #expect(orders.count == 2_500)
    }

    @Test func dataLooksLikeTheSuppliers() throws {
        let start = CivilDate(iso: "2023-01-01")!, end = CivilDate(iso: "2023-12-31")!
        let output = try Self.generate(GeneratorOptions(orders: 8_000, customers: 2_000, seed: 11, start: start, end: end))
        let orders = Array(SupplierCSVChecker(output.csv).expectedLoad().orders.values)
        #expect(orders.count == 8_000)

        #expect(Set(orders.map(\.product)) == ["transfer", "parking", "fast_track", "lounge"])
        #expect(Set(orders.map(\.passengers)) == Set(1...6))
        let byPassengers = Dictionary(grouping: orders, by: \.passengers).mapValues(\.count)
        #expect(byPassengers[1]! + byPassengers[2]! > 5 * (byPassengers[5]! + byPassengers[6]!))
        #expect(orders.allSatisfy { $0.date >= "2023-01-01" && $0.date <= "2023-12-31" })
        for (product, range) in [("fast_track", 599...2_499 * 6), ("lounge", 2_500...6_500 * 6), ("transfer", 2_500...12_000)] {
            #expect(orders.filter { $0.product == product }.allSatisfy { range.contains($0.cents) }, "\(product)")
        }

        // A few customers order often: the busiest 1% place far more than 1% of the orders.
        let perCustomer = Dictionary(grouping: orders, by: \.customer).mapValues(\.count).values.sorted(by: >)
        #expect(perCustomer.count > 1_400)
        #expect(perCustomer.prefix(20).reduce(0, +) > 8_000 / 20)
        #expect(perCustomer[0] > 40)

        // Weekday and season: Fridays busier than Tuesdays, August busier than February.
        let weekdays = Dictionary(grouping: orders) { CivilDate(iso: $0.date)!.isoWeekday }.mapValues(\.count)
        #expect(weekdays[5]! > weekdays[2]! * 11 / 10)
        let months = Dictionary(grouping: orders) { $0.date.dropFirst(5).prefix(2) }.mapValues(\.count)
        #expect(months["08"]! > months["02"]! * 13 / 10)
    }

    @Test func defaultRangeIsTheSamplesRange() throws {
        let options = GeneratorOptions(orders: 10)
        #expect(options.start == CivilDate(iso: "2023-06-13"))
        #expect(options.end == CivilDate(iso: "2023-12-09"))
        #expect(options.customerCount == 2)
    }

    @Test func customerNamesAreDistinctAcrossTheTiers() throws {
        // Tiers: plain names (103,960 of them), then middle initials (× 26), then suffixes (× 130):
        // room for far more than 200k customers, each tier a bijection. Check around the seams.
        let plain = 226 * 460, initials = plain * 26
        #expect(try OrderGenerator(options: GeneratorOptions(orders: 1, customers: plain * 157)).options.customerCount == plain * 157)
        #expect(throws: GenerateError.self) { try OrderGenerator(options: GeneratorOptions(orders: 1, customers: plain * 157 + 1)) }
        let generator = try OrderGenerator(options: GeneratorOptions(orders: 1, customers: 250_000, seed: 5))
        let customers = Array(0..<3_000) + Array((plain - 1_500)..<(plain + 1_500)) + Array((plain + initials - 1_500)..<(plain + initials + 1_500))
        let names = Set(customers.map(generator.customerName))
        #expect(names.count == customers.count)
        #expect(names.contains { $0.contains(", ") })
        #expect(names.contains { $0.contains("\"") })
        #expect(names.contains { $0.hasPrefix("Dr. ") })
        #expect(!names.contains { $0.hasPrefix(" ") || $0.hasSuffix(" ") || $0.contains("  ") })
    }

    // MARK: - Dirty rows and the manifest

    @Test func manifestListsExactlyTheRowsThatBreakARule() throws {
        let output = try Self.generate(GeneratorOptions(orders: 8_000, seed: 9, dirtyRate: 0.03))
        let file = SupplierCSVChecker(output.csv)
        let (rejected, orders) = file.expectedLoad()
        let manifest = output.manifestEntries

        #expect(manifest == rejected)
        #expect(Set(manifest.values) == Set(RejectReason.allCases.map(\.rawValue)))
        #expect(manifest.keys.sorted() == String(decoding: output.manifest, as: UTF8.self)
            .split(separator: "\n").map { Int($0.split(separator: "\t")[0])! })
        #expect(output.summary.rejectedRecords == manifest.count)
        #expect(output.summary.records == file.records.count)
        #expect(output.summary.lines == file.lineCount)
        #expect(output.summary.loadableOrders == orders.count)
        // Both lines of a differing duplicate are listed.
        let duplicates = manifest.filter { $0.value == "duplicate_order_id" }.keys
        #expect(duplicates.count.isMultiple(of: 2) && duplicates.count > 0)
    }

    @Test func legalOdditiesAreInTheFileButNotInTheManifest() throws {
        let output = try Self.generate(GeneratorOptions(orders: 8_000, seed: 9, dirtyRate: 0.03))
        let text = String(decoding: output.csv, as: UTF8.self)
        let file = SupplierCSVChecker(output.csv)
        let manifest = output.manifestEntries
        let accepted = file.records.filter { manifest[$0.line] == nil }

        #expect(text.contains("\r\n"))
        #expect(accepted.contains { $0.fields[4] == "fast-track" || $0.fields[4] == "Fast Track" || $0.fields[4] == "Fast-Track" })
        #expect(accepted.contains { $0.fields[3].contains("T") })
        #expect(accepted.contains { $0.fields[0].contains(",") })
        #expect(accepted.contains { $0.fields[0].contains("\"") })
        #expect(accepted.contains { $0.fields[0].contains("\n") })
        #expect(accepted.contains { $0.fields[0].contains("   ") })
        #expect(accepted.contains { $0.fields[2].hasPrefix(" ") || $0.fields[2].hasSuffix(" ") })
        #expect(text.contains("\"\""))
        // An exact duplicate: the same record twice, neither rejected.
        let lines = accepted.map { $0.fields }
        #expect(Set(lines.map { $0 }).count < lines.count)
        #expect(output.summary.oddRecords > 0)
    }

    @Test func dirtyRateZeroHasNoOddities() throws {
        let output = try Self.generate(GeneratorOptions(orders: 2_000, seed: 4))
        let text = String(decoding: output.csv, as: UTF8.self)
        #expect(!text.contains("\r"))
        #expect(!text.contains("T0") && !text.contains("T1") && !text.contains("T2"))
        #expect(output.summary.oddRecords == 0 && output.summary.rejectedRecords == 0)
    }

    // MARK: - Snapshots

    @Test func snapshotsGrowAndChangeALittle() throws {
        var options = GeneratorOptions(orders: 3_000, seed: 21, changeRate: 0.01)
        options.removalRate = 0.005
        let plain = try Self.generate(options)
        var previous: [Int: SupplierCSVChecker.Order] = [:]
        for number in 1...4 {
            let output = try Self.generate(options, snapshot: number)
            let orders = SupplierCSVChecker(output.csv).expectedLoad().orders
            let summary = output.summary
            #expect(orders.count == summary.orders)
            if number == 1 {
                #expect(output.csv == plain.csv, "the first snapshot is the plain file")
            } else {
                let removed = previous.keys.filter { orders[$0] == nil }.count
                #expect(removed == summary.removedOrders)
                #expect(removed > 0 && removed < previous.count / 100, "\(removed) removed of \(previous.count)")
                let changed = previous.filter { orders[$0.key] != nil && orders[$0.key] != $0.value }.count
                #expect(changed == summary.changedOrders)
                #expect(changed > 0 && changed < previous.count * 3 / 100, "\(changed) changed of \(previous.count)")
                let day = options.end.adding(days: number - 1).description
                let new = orders.filter { previous[$0.key] == nil }.values
                #expect(!new.isEmpty && new.allSatisfy { $0.date == day })
                #expect(orders.values.allSatisfy { $0.date <= day })
            }
            previous = orders
        }
    }

    @Test func snapshotFilesAreNamedByDay() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let generator = try OrderGenerator(options: GeneratorOptions(orders: 300, seed: 2, dirtyRate: 0.02))
        let files = try generator.writeSnapshots(count: 3, directory: directory.path, manifests: true)
        #expect(files.map { URL(fileURLWithPath: $0.path).lastPathComponent }
            == ["orders_2023-12-10.csv", "orders_2023-12-11.csv", "orders_2023-12-12.csv"])
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file.path)))
            #expect(bytes.count == file.summary.bytes)
            let manifest = try String(contentsOfFile: file.manifestPath!, encoding: .utf8)
            #expect(manifest.split(separator: "\n").count == file.summary.rejectedRecords)
        }
    }

    // MARK: - Output

    @Test func gzipOutputDecompressesToThePlainBytes() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let generator = try OrderGenerator(options: GeneratorOptions(orders: 5_000, seed: 8, dirtyRate: 0.02))
        let plainPath = directory.appendingPathComponent("orders.csv").path
        let gzipPath = directory.appendingPathComponent("orders.csv.gz").path
        for path in [plainPath, gzipPath] {
            let sink = try OutputTarget(path: path).open()
            _ = try generator.write(to: sink)
            try sink.close()
        }
        let plain = try Data(contentsOf: URL(fileURLWithPath: plainPath))
        let compressed = try Data(contentsOf: URL(fileURLWithPath: gzipPath))
        #expect(compressed.count < plain.count / 2)
        #expect(compressed.prefix(2) == Data([0x1f, 0x8b]))

        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gunzip.arguments = ["-dc", gzipPath]
        let pipe = Pipe()
        gunzip.standardOutput = pipe
        try gunzip.run()
        let decompressed = pipe.fileHandleForReading.readDataToEndOfFile()
        gunzip.waitUntilExit()
        #expect(gunzip.terminationStatus == 0)
        #expect(decompressed == plain)
    }

    @Test func gzipWriterHandlesChunksOfAnySize() throws {
        let memory = MemorySink()
        let gzip = try GzipFileWriter(writingTo: memory)
        var expected: [UInt8] = []
        // Random bytes do not compress, so deflate's 256 KiB output buffer fills several times.
        var random = SeededRandom(seed: 3)
        for words in [0, 1, 7, 10_000, 100_000] {
            let chunk = (0..<words).map { _ in random.next() }
            try chunk.withUnsafeBytes { bytes in
                expected += bytes
                try gzip.write(bytes)
            }
        }
        try gzip.close()
        #expect(memory.isClosed)
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("chunks.gz").path
        try Data(memory.bytes).write(to: URL(fileURLWithPath: path))
        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gunzip.arguments = ["-dc", path]
        let pipe = Pipe()
        gunzip.standardOutput = pipe
        try gunzip.run()
        let decompressed = pipe.fileHandleForReading.readDataToEndOfFile()
        gunzip.waitUntilExit()
        #expect([UInt8](decompressed) == expected)
    }

    @Test func outputTargetFollowsThePath() {
        #expect(OutputTarget(path: "-") == .standardOutput)
        #expect(OutputTarget(path: "a.csv") == .file("a.csv"))
        #expect(OutputTarget(path: "a.csv.gz") == .gzipFile("a.csv.gz"))
    }

    // MARK: - Options and dates

    @Test(arguments: [
        GeneratorOptions(orders: 0),
        GeneratorOptions(orders: 10, customers: 0),
        GeneratorOptions(orders: 10, dirtyRate: 0.6),
        GeneratorOptions(orders: 10, dirtyRate: -0.1),
        GeneratorOptions(orders: 10, start: CivilDate(iso: "2024-01-01"), end: CivilDate(iso: "2023-12-31")),
    ])
    func invalidOptionsAreRejected(_ options: GeneratorOptions) {
        #expect(throws: GenerateError.self) { try OrderGenerator(options: options) }
    }

    @Test func civilDatesAreRealCalendarDays() {
        #expect(CivilDate(iso: "2023-02-30") == nil)
        #expect(CivilDate(iso: "2023-13-01") == nil)
        #expect(CivilDate(iso: "2024-02-29") != nil)
        #expect(CivilDate(iso: "2023-02-29") == nil)
        #expect(CivilDate(iso: "2023-1-05") == nil)
        #expect(CivilDate(iso: "1970-01-01")?.daysSinceEpoch == 0)
        #expect(CivilDate(iso: "2023-12-10")?.isoWeekday == 7)
        #expect(CivilDate(iso: "2023-12-04")?.isoWeekday == 1)
        #expect(CivilDate(iso: "2023-12-09")?.adding(days: 1).description == "2023-12-10")
        #expect(CivilDate(iso: "1999-12-31")?.adding(days: 1).description == "2000-01-01")
    }

    @Test func seededRandomIsUniformEnoughAndStable() {
        var random = SeededRandom(seed: 1)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[Int(random.next(below: 6))] += 1 }
        #expect(counts.allSatisfy { (9_400...10_600).contains($0) }, "\(counts)")
        var a = SeededRandom(seed: 99, stream: 5), b = SeededRandom(seed: 99, stream: 5), c = SeededRandom(seed: 99, stream: 6)
        #expect(a.next() == b.next())
        #expect(a.next() != c.next())
    }
}
