import ArgumentParser
import WarehouseKit

extension Warehouse {
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply the pending database migrations (or list them with --status).",
            discussion: """
                Each migration runs in its own transaction with its ledger row in ops.schema_migrations. \
                A changed or missing applied migration, or a database newer than this build, is refused \
                with nothing applied.
                """)

        @OptionGroup var options: GlobalOptions

        @Flag(help: "List applied and pending migrations without applying anything.")
        var status = false

        func run() async throws {
            let connection = try options.connect()
            let migrator = try Migrator(connection: connection)
            if status {
                let state = try migrator.status()
                for entry in state.applied {
                    print("applied  \(Migration.displayName(version: entry.version, name: entry.name))  \(entry.appliedAt)  \(entry.durationMilliseconds) ms")
                }
                for migration in state.pending {
                    print("pending  \(migration.fileName)")
                }
                print("\(state.applied.count) applied, \(state.pending.count) pending")
                return
            }
            let report = try migrator.migrate { migration in
                if !options.quiet { print("applying \(migration.fileName) …") }
            }
            if report.applied.isEmpty {
                print("Nothing to migrate: all \(report.alreadyApplied) migrations are applied.")
            } else {
                for (migration, milliseconds) in report.applied {
                    print("applied  \(migration.fileName)  \(milliseconds) ms")
                }
                print("Applied \(report.applied.count) migration(s); \(report.alreadyApplied + report.applied.count) in all.")
            }
        }
    }
}
