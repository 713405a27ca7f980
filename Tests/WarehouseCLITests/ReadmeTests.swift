import ArgumentParser
import Foundation
import Testing
import WarehouseTestSupport
@testable import warehouse

/// The README's usage section cannot drift from `--help`: every subcommand appears in it with
/// its abstract, and every command the README runs exists.
@Suite(.blockingWork) struct ReadmeTests {
    static let readme = (try? String(contentsOf: TestSupport.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""

    static func flattened(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test func everySubcommandIsInTheUsageSectionWithItsAbstract() throws {
        let usage = try #require(Self.readme.components(separatedBy: "## Usage").dropFirst().first, "README has no Usage section")
        let section = Self.flattened(String(usage.components(separatedBy: "\n## ").first ?? ""))
        for command in Warehouse.configuration.subcommands {
            let configuration = command.configuration
            let name = command._commandName
            #expect(section.contains(name + " " + Self.flattened(configuration.abstract)), "README usage lacks `\(name)` with its abstract")
        }
    }

    @Test func helpStatesEachDefaultOnce() {
        for command in Warehouse.configuration.subcommands {
            let help = Warehouse.helpMessage(for: command, columns: 10_000)
            #expect(!help.contains("(default: ") || help.components(separatedBy: "\n").allSatisfy {
                $0.components(separatedBy: "(default: ").count <= 2
            }, "`\(command._commandName) --help` repeats a default")
        }
    }

    @Test func commandsTheReadmeRunsExist() {
        let names = Set(Warehouse.configuration.subcommands.map { $0._commandName })
        let pattern = try! NSRegularExpression(pattern: #"(?m)^\s*(?:\$\(BIN\)|warehouse|\.build/\w+/warehouse)\s+([a-z-]+)"#)
        let text = Self.readme
        let matches = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
        #expect(!matches.isEmpty)
        for match in matches {
            let word = String(text[Range(match.range(at: 1), in: text)!])
            #expect(names.contains(word), "README runs `warehouse \(word)`, which does not exist")
        }
    }
}
