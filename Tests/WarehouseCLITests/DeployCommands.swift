import ArgumentParser
import Foundation
import WarehouseTestSupport
@testable import warehouse

/// What the deploy files (deploy/, docker-compose.yml) run, checked against the command line
/// as it is: every `warehouse …` they run must parse, flags and values included.
enum DeployCommands {
    static let root = TestSupport.packageRoot

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// An existing file, standing in for the example data files the deploy files name
    /// (`ingest` checks that its file exists while parsing): the repository's sample, so nothing
    /// is left behind in the temporary directory.
    static let exampleDataFile = root.appendingPathComponent("data/sample_orders.csv").path

    /// nil when `arguments` (what follows `warehouse`) parse and validate; else ArgumentParser's message.
    static func refusal(_ arguments: [String]) -> String? {
        let arguments = arguments.map { $0.hasSuffix(".csv") || $0.hasSuffix(".csv.gz") ? exampleDataFile : $0 }
        do {
            _ = try Warehouse.parseAsRoot(arguments)
            return nil
        } catch {
            return Warehouse.message(for: error)
        }
    }

    /// Shell words of a one-line example, up to a redirection, pipe or comment.
    static func words(_ line: Substring) -> [String] {
        var words: [String] = []
        for word in line.split(whereSeparator: \.isWhitespace) {
            if ["<", ">", ">>", "|", "#", "&&", "||"].contains(word) { break }
            words.append(String(word))
        }
        return words
    }

    /// The python3 that scripts/install-deps.sh equips (Debian's, with python3-yaml), else PATH's.
    static var python: (executable: String, prefix: [String]) {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? ("/usr/bin/python3", []) : ("/usr/bin/env", ["python3"])
    }

    /// A YAML file as JSON-compatible values, read by PyYAML's safe loader (merge keys included).
    static func yaml(_ path: String) throws -> Any {
        let script = "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding='utf-8'))))"
        let (executable, prefix) = python
        let output = try ProcessOutput.run(executable, prefix + ["-c", script, root.appendingPathComponent(path).path])
        guard output.status == 0 else {
            throw ProcessOutput.Failure(description: "\(path) does not parse as YAML: \(output.standardError)")
        }
        return try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8))
    }
}
