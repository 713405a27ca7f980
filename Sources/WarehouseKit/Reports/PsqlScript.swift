import Foundation

/// A report file of `sql/analysis` read the way psql runs it, so the file is the one source of the
/// report's SQL: `warehouse report` and an analyst's `psql -f` run the same statement.
///
/// Only what those files use is understood: `\if :{?name}` / `\else` / `\endif` on whether a
/// variable is set, other backslash commands (ignored: titles, quiet mode), statements ending in
/// `;`, statements ending in `\gset` (psql-side helpers, skipped here), `--` comment lines, and
/// `:'name'` literals, which become bound parameters (`$n`), never pasted text. A file that uses
/// anything else is refused rather than guessed at.
struct PsqlScript {
    let name: String
    let text: String

    struct Unsupported: Error, CustomStringConvertible {
        let file: String
        let line: Int
        let reason: String
        var description: String { "sql/analysis/\(file):\(line): \(reason)" }
    }

    /// The one statement the file leaves to run once its conditionals are decided by which of
    /// `variables` are set; each `:'name'` binds that variable's value.
    /// - Throws: ``Unsupported`` when the file does not reduce to exactly one statement, or uses
    ///   a variable that is not given.
    func statement(variables: [String: String]) throws -> SQL {
        var branches: [(taken: Bool, seenTrue: Bool)] = []  // one entry per open \if
        var active: Bool { branches.allSatisfy(\.taken) }
        var buffer = ""
        var bufferStart = 0
        var statements: [(text: String, line: Int)] = []

        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let line = rawLine.trimmingSpaces
            if line.hasPrefix("\\") {
                let words = line.split(separator: " ")
                switch words.first {
                case "\\if":
                    guard words.count == 2, let variable = Self.definedTest(words[1]) else {
                        throw Unsupported(file: name, line: number, reason: "only \\if :{?name} is understood")
                    }
                    let holds = variables[variable] != nil
                    branches.append((holds, holds))
                case "\\else":
                    guard let last = branches.popLast() else { throw Unsupported(file: name, line: number, reason: "\\else without \\if") }
                    branches.append((!last.seenTrue, true))
                case "\\endif":
                    guard branches.popLast() != nil else { throw Unsupported(file: name, line: number, reason: "\\endif without \\if") }
                case "\\elif":
                    throw Unsupported(file: name, line: number, reason: "\\elif is not understood")
                default:
                    break  // presentation only: \set, \pset
                }
                continue
            }
            guard active, !line.isEmpty, !line.hasPrefix("--") else { continue }
            if buffer.isEmpty { bufferStart = number }
            if line.contains("\\gset") {  // a psql-side helper whose result feeds the title, not the report
                buffer = ""
                continue
            }
            buffer += (buffer.isEmpty ? "" : "\n") + rawLine
            if line.hasSuffix(";") {
                statements.append((String(buffer.dropLast(buffer.last == ";" ? 1 : 0)), bufferStart))
                buffer = ""
            }
        }
        guard branches.isEmpty else { throw Unsupported(file: name, line: 0, reason: "\\if without \\endif") }
        guard statements.count == 1, let only = statements.first else {
            throw Unsupported(file: name, line: 0, reason: "expected one report statement, found \(statements.count)")
        }
        return try bind(only.text, line: only.line, variables: variables)
    }

    /// `:'name'` → `$n`, the variable's value bound; the same name reuses its placeholder.
    private func bind(_ statement: String, line: Int, variables: [String: String]) throws -> SQL {
        var text = ""
        var bindings: [String?] = []
        var numbers: [String: Int] = [:]
        var rest = Substring(statement)
        while let colon = rest.range(of: ":'") {
            text += rest[..<colon.lowerBound]
            let afterQuote = rest[colon.upperBound...]
            guard let close = afterQuote.firstIndex(of: "'") else {
                throw Unsupported(file: name, line: line, reason: "unterminated :'variable'")
            }
            let variable = String(afterQuote[..<close])
            guard let value = variables[variable] else {
                throw Unsupported(file: name, line: line, reason: "variable \(variable) is used but not set")
            }
            let number = numbers[variable] ?? {
                bindings.append(value)
                numbers[variable] = bindings.count
                return bindings.count
            }()
            text += "$\(number)"
            rest = afterQuote[afterQuote.index(after: close)...]
        }
        text += rest
        return SQL(text: text, bindings: bindings)
    }

    /// `:{?name}` → `name`.
    private static func definedTest(_ word: Substring) -> String? {
        guard word.hasPrefix(":{?"), word.hasSuffix("}") else { return nil }
        return String(word.dropFirst(3).dropLast())
    }
}

extension PsqlScript {
    /// The embedded copy of the report's file in `sql/analysis`.
    init(_ kind: ReportKind) throws {
        guard let file = SQLFiles.analysis.first(where: { $0.name == kind.analysisFileName }) else {
            throw Unsupported(file: kind.analysisFileName, line: 0, reason: "not embedded in this build")
        }
        self.init(name: file.name, text: file.sql)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[first...last]
    }
}
