import ArgumentParser
import Foundation
import WarehouseKit

/// A command that can print its result as JSON: on failure it then prints an error object on
/// standard output too (see ``ErrorReport``), so a script always has JSON to parse.
protocol JSONReporting {
    var wantsJSON: Bool { get }
}

/// `--format text|json`, the one spelling every command uses (reports add table and csv);
/// `--json` stays as a hidden alias of `--format json`.
struct OutputFormatOption: ParsableArguments {
    enum Format: String, CaseIterable, ExpressibleByArgument {
        case text, json
    }

    @Option(help: ArgumentHelp("Output format: text or json (default: text).", valueName: "format"))
    var format: Format = .text

    @Flag(name: .customLong("json"), help: .hidden)
    var jsonAlias = false

    var isJSON: Bool { jsonAlias || format == .json }
}

/// Prints an `Encodable` value as the commands' JSON: pretty, keys sorted, slashes as they are.
func encodeJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// The JSON a failed command prints on standard output when asked for JSON:
/// `{"error": {"code": "data_refused", "exit_status": 65, "message": "…", "file": "…", "line": 3}}`.
struct ErrorReport: Encodable {
    struct Body: Encodable {
        let code: String
        let exitStatus: Int32
        let message: String
        let file: String?
        let line: Int?
        let rejects: [RejectedRow]?

        enum CodingKeys: String, CodingKey {
            case code, exitStatus = "exit_status", message, file, line, rejects
        }
    }

    let error: Body

    init(error: any Error, status: ExitStatus) {
        var file: String?
        var line: Int?
        var rejects: [RejectedRow]?
        if let ingest = error as? IngestError {
            switch ingest {
            case .emptyInput(let source), .headerOnly(let source), .shrinkRefused(let source, _, _, _):
                file = source
            case .missingColumns(let source, _, _), .duplicateColumn(let source, _), .headerTooLong(let source, _):
                (file, line) = (source, 1)
            case .recordTooLong(let source, let at, _):
                (file, line) = (source, at)
            case .tooManyRejects(let source, _, _, _, let first), .noValidRows(let source, _, let first):
                (file, rejects) = (source, first)
            case .integrityViolation, .interrupted:
                break
            }
        }
        self.error = Body(code: status.name, exitStatus: status.rawValue, message: String(describing: error),
                          file: file, line: line, rejects: rejects)
    }

    var jsonText: String {
        (try? encodeJSON(self)) ?? "{\"error\": {\"code\": \"\(error.code)\"}}"
    }
}
