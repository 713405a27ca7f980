import Foundation
import PackagePlugin

/// Compiles `migrations/` and `sql/` into the binary, so an installed `warehouse`
/// works from any directory while the folders stay the source of truth.
@main
struct EmbedSQL: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let root = context.package.directoryURL
        let folders = ["migrations", "sql/transform", "sql/analysis"]
        var inputs: [URL] = []
        for folder in folders {
            let dir = root.appending(path: folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            inputs += names.filter { $0.hasSuffix(".sql") }.sorted().map { dir.appending(path: $0) }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedSQL.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) SQL files",
                executable: try context.tool(named: "embed-sql").url,
                arguments: [output.path, root.path] + folders,
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
