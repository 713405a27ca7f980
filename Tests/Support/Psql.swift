public import Foundation

/// Runs the real `psql` client, as an analyst would, and reads its `--csv` output.
public enum Psql {
    /// The repository's root, found from this file's path, for the `sql/analysis/` files as they are.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `psql -X -q --csv -v ON_ERROR_STOP=1 [-v name=value …] -d conninfo -f file`; the header
    /// and rows as parsed RFC 4180 records.
    /// - Throws: when psql is missing or exits non-zero (its standard error is in the message).
    public static func runCSV(file: URL, variables: [String: String] = [:], conninfo: String) throws -> [[String]] {
        var arguments = ["psql", "-X", "-q", "-w", "--csv", "-v", "ON_ERROR_STOP=1"]
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) { arguments += ["-v", "\(name)=\(value)"] }
        arguments += ["-d", conninfo, "-f", file.path]
        let output = try ProcessOutput.run("/usr/bin/env", arguments)
        guard output.status == 0 else {
            throw ProcessOutput.Failure(description: "psql exited with \(output.status): \(output.standardError)")
        }
        return CSVRecords.parse(output.standardOutput)
    }
}
