import Foundation

/// A strict reader of Prometheus' text exposition format 0.0.4, for the tests: it refuses what
/// a scraper would, and more (samples before their TYPE, families split apart, duplicate
/// series, bad names or escapes, histograms whose buckets are not cumulative or lack +Inf).
/// https://prometheus.io/docs/instrumenting/exposition_formats/
struct PrometheusText {
    struct Failure: Error, CustomStringConvertible { let description: String }

    struct Sample: Hashable {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    private(set) var types: [String: String] = [:]
    private(set) var samples: [Sample] = []

    /// The value of `name` with exactly these labels, if present.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    static let namePattern = try! NSRegularExpression(pattern: "^[a-zA-Z_:][a-zA-Z0-9_:]*$")
    static let labelNamePattern = try! NSRegularExpression(pattern: "^[a-zA-Z_][a-zA-Z0-9_]*$")

    static func isName(_ text: String, _ pattern: NSRegularExpression) -> Bool {
        pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    init(parsing text: String) throws {
        guard text.hasSuffix("\n") else { throw Failure(description: "the exposition must end with a line feed") }
        var finished = Set<String>()
        var current: String?
        var series = Set<String>()
        for (index, line) in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let where_ = "line \(index + 1): \(line)"
            guard !line.isEmpty else { throw Failure(description: "\(where_): empty line") }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
                guard parts.count >= 3, parts[0] == "#", ["HELP", "TYPE"].contains(parts[1]) else {
                    throw Failure(description: "\(where_): only # HELP and # TYPE comments are written")
                }
                let family = parts[2]
                guard Self.isName(family, Self.namePattern) else { throw Failure(description: "\(where_): bad metric name") }
                if family != current {
                    if let current { finished.insert(current) }
                    guard !finished.contains(family) else { throw Failure(description: "\(where_): family \(family) split apart") }
                    current = family
                }
                if parts[1] == "TYPE" {
                    guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                        throw Failure(description: "\(where_): bad type")
                    }
                    guard types[family] == nil else { throw Failure(description: "\(where_): second TYPE for \(family)") }
                    types[family] = parts[3]
                }
                continue
            }
            let sample = try Self.sample(String(line), where: where_)
            guard let family = current, let type = types[family] else { throw Failure(description: "\(where_): sample before its TYPE") }
            let allowed = type == "histogram" ? [family + "_bucket", family + "_sum", family + "_count"] : [family]
            guard allowed.contains(sample.name) else { throw Failure(description: "\(where_): not a sample of family \(family)") }
            let key = sample.name + sample.labels.sorted { $0.key < $1.key }.description
            guard series.insert(key).inserted else { throw Failure(description: "\(where_): duplicate series") }
            samples.append(sample)
        }
        try checkHistograms()
    }

    static func sample(_ line: String, where place: String) throws -> Sample {
        var rest = Substring(line)
        let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " } ?? rest.endIndex
        let name = String(rest[..<nameEnd])
        guard isName(name, namePattern) else { throw Failure(description: "\(place): bad sample name") }
        rest = rest[nameEnd...]
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                guard let equals = rest.firstIndex(of: "=") else { throw Failure(description: "\(place): label without =") }
                let labelName = String(rest[..<equals])
                guard isName(labelName, labelNamePattern), labels[labelName] == nil else { throw Failure(description: "\(place): bad label name") }
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { throw Failure(description: "\(place): label value not quoted") }
                rest = rest.dropFirst()
                var value = ""
                while true {
                    guard let character = rest.first else { throw Failure(description: "\(place): unterminated label value") }
                    rest = rest.dropFirst()
                    if character == "\"" { break }
                    if character == "\\" {
                        switch rest.first {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw Failure(description: "\(place): bad escape")
                        }
                        rest = rest.dropFirst()
                    } else {
                        value.append(character)
                    }
                }
                labels[labelName] = value
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" { throw Failure(description: "\(place): expected , or }") }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw Failure(description: "\(place): no space before the value") }
        let valueText = String(rest.dropFirst())
        let value: Double
        switch valueText {
        case "+Inf": value = .infinity
        case "-Inf": value = -.infinity
        case "NaN": value = .nan
        default:
            guard let number = Double(valueText), !valueText.contains(" ") else { throw Failure(description: "\(place): bad value") }
            value = number
        }
        return Sample(name: name, labels: labels, value: value)
    }

    private func checkHistograms() throws {
        for (family, type) in types where type == "histogram" {
            let buckets = samples.filter { $0.name == family + "_bucket" }
            let groups = Dictionary(grouping: buckets) { $0.labels.filter { $0.key != "le" } }
            for (labels, group) in groups {
                let bounds = try group.map { sample -> Double in
                    guard let le = sample.labels["le"] else { throw Failure(description: "\(family): bucket without le") }
                    return le == "+Inf" ? .infinity : try Double(le).orThrow(Failure(description: "\(family): bad le \(le)"))
                }
                guard bounds == bounds.sorted(), bounds.last == .infinity else { throw Failure(description: "\(family) \(labels): buckets out of order or no +Inf") }
                let counts = group.map(\.value)
                guard counts == counts.sorted() else { throw Failure(description: "\(family) \(labels): buckets not cumulative") }
                guard value(family + "_count", labels) == counts.last, value(family + "_sum", labels) != nil else {
                    throw Failure(description: "\(family) \(labels): _count differs from the +Inf bucket, or no _sum")
                }
            }
        }
    }
}

private extension Optional {
    func orThrow(_ error: some Error) throws -> Wrapped {
        guard let self else { throw error }
        return self
    }
}
