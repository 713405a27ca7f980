import Foundation
import Testing
import WarehouseTestSupport

/// deploy/systemd: every command the units run parses; the hardening keeps ~/.pgpass readable;
/// the long-running dashboard restarts; failures are reported; the embedded cluster belongs to
/// a unit of its own, so a oneshot pull never takes it down; and `systemd-analyze verify`
/// accepts the units where systemd is installed.
@Suite("Deploy: systemd units", .blockingWork)
struct DeploySystemdTests {
    static let folder = TestSupport.packageRoot.appendingPathComponent("deploy/systemd")
    static let installedBinary = "/usr/local/bin/warehouse"

    struct Unit {
        let name: String
        let text: String
        /// Every `Key=value` line, in order (keys repeat: After=, ExecStart=…).
        let settings: [(key: String, value: String)]

        func values(_ key: String) -> [String] { settings.filter { $0.key == key }.map(\.value) }
        func value(_ key: String) -> String? { values(key).last }
    }

    static func units() throws -> [Unit] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        return try names.filter { $0.hasSuffix(".service") || $0.hasSuffix(".timer") }.map { name in
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let settings = text.split(separator: "\n").compactMap { line -> (String, String)? in
                guard !line.hasPrefix("#"), !line.hasPrefix("["), let equals = line.firstIndex(of: "=") else { return nil }
                return (String(line[..<equals]), String(line[line.index(after: equals)...]))
            }
            return Unit(name: name, text: text, settings: settings)
        }
    }

    static func unit(_ name: String) throws -> Unit {
        try #require(try units().first { $0.name == name }, "deploy/systemd/\(name) is missing")
    }

    @Test func everyCommandTheUnitsRunParses() throws {
        var commands = 0
        for unit in try Self.units() {
            for key in ["ExecStartPre", "ExecStart", "ExecStartPost", "ExecStop", "ExecReload"] {
                for value in unit.values(key) {
                    // systemd's prefixes (-, @, +, !, :) and %d, the credentials folder.
                    let words = value.drop { "-@+!:".contains($0) }.replacingOccurrences(of: "%d", with: "/run/credentials/x")
                        .split(separator: " ").map(String.init)
                    guard words.first == Self.installedBinary else { continue }
                    let arguments = Array(words.dropFirst())
                    #expect(DeployCommands.refusal(arguments) == nil, "\(unit.name) \(key): \(DeployCommands.refusal(arguments) ?? "")")
                    commands += 1
                }
            }
        }
        #expect(commands >= 4)
    }

    @Test func homeFoldersStayReadableForPgpass() throws {
        for unit in try Self.units() where unit.name.hasSuffix(".service") {
            if let protectHome = unit.value("ProtectHome") {
                #expect(protectHome == "read-only", "\(unit.name): ProtectHome=\(protectHome) hides ~/.pgpass")
            }
        }
    }

    @Test func theDashboardRestartsAndFailuresAreReported() throws {
        let serve = try Self.unit("warehouse-serve.service")
        #expect(serve.value("Restart").map { $0 != "no" } == true, "warehouse-serve.service has no Restart=")
        for unit in try Self.units() where unit.name.hasSuffix(".service") && !unit.name.contains("@") {
            let onFailure = try #require(unit.value("OnFailure"), "\(unit.name) has no OnFailure=")
            // OnFailure=warehouse-failure@%N.service: the template must exist here.
            let template = onFailure.replacingOccurrences(of: "%N", with: "")
            #expect(FileManager.default.fileExists(atPath: Self.folder.appendingPathComponent(template).path), "\(unit.name): \(onFailure)")
        }
    }

    @Test func theEmbeddedClusterBelongsToItsOwnUnit() throws {
        let database = try Self.unit("warehouse-db.service")
        #expect(database.value("ExecStart") == "\(Self.installedBinary) db start")
        #expect(database.value("ExecStop") == "\(Self.installedBinary) db stop")
        let requiredBy = Set(database.values("RequiredBy").flatMap { $0.split(separator: " ").map(String.init) })
        for name in ["warehouse-pull.service", "warehouse-serve.service", "warehouse-migrate.service"] {
            let unit = try Self.unit(name)
            let after = unit.values("After").flatMap { $0.split(separator: " ") }
            #expect(after.contains("warehouse-db.service"), "\(name) is not ordered after the cluster")
            #expect(requiredBy.contains(name), "enabling warehouse-db.service does not make \(name) require it")
        }
        #expect(try Self.unit("warehouse-pull.service").value("Type") == "oneshot")
    }

    @Test func theTimerStartsTheService() throws {
        let timer = try Self.unit("warehouse-pull.timer")
        let target = timer.value("Unit") ?? "warehouse-pull.service"
        #expect(FileManager.default.fileExists(atPath: Self.folder.appendingPathComponent(target).path))
    }

    static let systemdAnalyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// systemd-analyze checks that each command is an executable file, so the units are checked
    /// in a copy that runs the built binary where they say /usr/local/bin/warehouse.
    @Test(.enabled(if: systemdAnalyze != nil, "systemd-analyze is not installed"))
    func systemdAnalyzeVerifyAcceptsTheUnits() throws {
        let copy = try TestSupport.temporaryDirectory("warehouse-units")
        defer { try? FileManager.default.removeItem(at: copy) }
        var paths: [String] = []
        for unit in try Self.units() {
            let url = copy.appendingPathComponent(unit.name)
            try unit.text.replacingOccurrences(of: Self.installedBinary, with: WarehouseCLI.executable.path)
                .write(to: url, atomically: true, encoding: .utf8)
            paths.append(url.path)
        }
        let output = try ProcessOutput.run(try #require(Self.systemdAnalyze), ["verify"] + paths)
        #expect(output.status == 0, "systemd-analyze verify: \(output.standardError)\(output.standardOutput)")
    }
}
