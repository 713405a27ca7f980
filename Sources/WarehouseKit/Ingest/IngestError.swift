/// Why a load stopped. Every case names the source, and the line where there is one; none
/// leaves anything half-loaded: the load's transaction is rolled back before these surface.
public enum IngestError: Error, CustomStringConvertible, Sendable {
    case emptyInput(source: String)
    case headerOnly(source: String)
    case missingColumns(source: String, missing: [String], found: [String])
    case duplicateColumn(source: String, column: String)
    case recordTooLong(source: String, line: Int, limit: Int)
    case headerTooLong(source: String, limit: Int)
    case tooManyRejects(source: String, rejected: Int, read: Int, limit: String, first: [RejectedRow])
    case shrinkRefused(source: String, missing: Int, known: Int, limitPercent: Double)
    case noValidRows(source: String, rejected: Int, first: [RejectedRow])
    case integrityViolation(String)
    case interrupted(String)

    public var description: String {
        switch self {
        case .emptyInput(let source):
            return "\(source): the input is empty (no header, no rows); nothing was loaded"
        case .headerOnly(let source):
            return "\(source): the input has a header but no rows; nothing was loaded"
        case .missingColumns(let source, let missing, let found):
            return "\(source), line 1: missing required column(s) \(missing.joined(separator: ", ")); "
                + "the header has: \(Self.listExcerpt(found)); nothing was loaded"
        case .duplicateColumn(let source, let column):
            return "\(source), line 1: column \(column) appears more than once; nothing was loaded"
        case .recordTooLong(let source, let line, let limit):
            return "\(source), line \(line): a record is longer than \(limit / (1 << 20)) MiB (an unclosed quote?); nothing was loaded"
        case .headerTooLong(let source, let limit):
            return "\(source), line 1: the header is longer than \(limit / 1024) KiB: this does not look like a CSV file with a header; nothing was loaded"
        case .tooManyRejects(let source, let rejected, let read, let limit, let first):
            return "\(source): \(rejected) of \(read) lines rejected, more than --max-rejects \(limit); "
                + "the load was rolled back, nothing was loaded. First rejects:\n"
                + first.map { "  " + $0.summary }.joined(separator: "\n")
        case .shrinkRefused(let source, let missing, let known, let limitPercent):
            let percent = known == 0 ? 0 : Double(missing) * 100 / Double(known)
            return "\(source): this snapshot lacks \(missing) of the \(known) known orders "
                + "(\(formatPercent(percent)), more than the \(formatPercent(limitPercent)) allowed) — a truncated file? "
                + "Nothing was loaded. Use --allow-shrink if the supplier really dropped them, "
                + "or --incremental for a file of only new and changed orders."
        case .noValidRows(let source, let rejected, let first):
            return "\(source): none of the \(rejected) rows is valid; nothing was loaded. First rejects:\n"
                + first.map { "  " + $0.summary }.joined(separator: "\n")
        case .integrityViolation(let message):
            return "integrity check failed, the load was rolled back: \(message)"
        case .interrupted(let message):
            return message
        }
    }
}

extension IngestError {
    /// Header names as an error may quote them: a file with no header has a first line of
    /// anything, megabytes long.
    static func listExcerpt(_ names: [String]) -> String {
        let shown = names.prefix(12).map { OrderValidator.excerpt($0) }.joined(separator: ", ")
        return names.count > 12 ? shown + ", … (\(names.count) fields)" : shown
    }
}

func formatPercent(_ value: Double) -> String {
    let rounded = (value * 100).rounded() / 100
    return rounded == rounded.rounded() ? "\(Int(rounded))%" : "\(rounded)%"
}

/// A row refused by validation, as stored in `ops.rejected_rows`.
public struct RejectedRow: Sendable, Codable, Equatable {
    public var line: Int
    public var column: String?
    public var reason: String
    public var raw: String
    /// The rule's stable code (docs/input.md), read from the reason unless given.
    public var code: RejectCode

    public init(line: Int, column: String?, reason: String, raw: String, code: RejectCode? = nil) {
        self.line = line
        self.column = column
        self.reason = reason
        self.raw = raw
        self.code = code ?? RejectCode(reason: reason)
    }

    public var summary: String {
        let shown = raw.count > 80 ? String(raw.prefix(80)) + "…" : raw
        return "line \(line): \(reason)  [\(shown)]"
    }
}
