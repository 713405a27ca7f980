import ArgumentParser
import Foundation
import WarehouseKit

@main
struct Warehouse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warehouse",
        abstract: "Load the supplier's order snapshots into a PostgreSQL star schema, report on them, and ship them.",
        discussion: """
            Connection: --database-url, else DATABASE_URL, else libpq's PG* variables, else the \
            embedded default cluster under .warehouse/ (or WAREHOUSE_HOME), started on demand. \
            Only `warehouse migrate` changes the schema: run it first on a new database, and after \
            each upgrade; every other command refuses an unmigrated database.

            \(ExitStatus.helpTable)
            """,
        version: "0.1.0",
        subcommands: [
            Migrate.self, Ingest.self, Check.self, Pull.self, Report.self, History.self, ExportSQLite.self,
            Generate.self, Serve.self, DB.self, Status.self, Freshness.self,
        ]
    )

    /// ArgumentParser's own entry point, with the exit statuses of ``ExitStatus`` and, for a
    /// command asked for JSON, an error object on standard output.
    static func main() async {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        if command is Ingest || command is Pull { Allocator.useOneHeapForAllThreads() }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ExitCode {
            exit(withError: error)
        } catch let error as ValidationError {
            exit(withError: error)
        } catch let error as CleanExit {
            exit(withError: error)
        } catch {
            let status = ExitStatus(classifying: error)
            let wantsJSON = (command as? any JSONReporting)?.wantsJSON ?? false
            // ArgumentParser's own errors (`help`'s, say) and plain failures keep its handling.
            if status == .failure, !wantsJSON { exit(withError: error) }
            if let reporting = command as? any JSONReporting, reporting.wantsJSON {
                print(ErrorReport(error: error, status: status).jsonText)
            }
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            exit(withError: ExitCode(status.rawValue))
        }
    }
}
