import ArgumentParser
import WarehouseKit

extension Warehouse {
    struct Migrate: AsyncParsableCommand, JSONReporting {
        static let configuration = CommandConfiguration(
            abstract: "Apply the pending database migrations (or list them with --status).",
            discussion: """
                The only command that changes the schema: run it on a new database (the embedded \
                default included) and after each upgrade; every other command refuses an unmigrated \
                one. Each migration runs in its own transaction with its ledger row in \
                ops.schema_migrations. A changed or missing applied migration, or a database newer \
                than this build, is refused with nothing applied. --status only reads.
                """)

        @OptionGroup var options: GlobalOptions
        @OptionGroup var output: OutputFormatOption

        @Flag(help: "List applied and pending migrations without applying or creating anything.")
        var status = false

        var wantsJSON: Bool { output.isJSON }

        struct StatusJSON: Encodable {
            struct Applied: Encodable {
                let version: Int
                let file: String
                let appliedAt: String
                let durationMs: Int
                enum CodingKeys: String, CodingKey { case version, file, appliedAt = "applied_at", durationMs = "duration_ms" }
            }
            let applied: [Applied]
            let pending: [String]
        }

        struct MigrateJSON: Encodable {
            struct Applied: Encodable {
                let file: String
                let durationMs: Int
                enum CodingKeys: String, CodingKey { case file, durationMs = "duration_ms" }
            }
            let applied: [Applied]
            let alreadyApplied: Int
            enum CodingKeys: String, CodingKey { case applied, alreadyApplied = "already_applied" }
        }

        func run() async throws {
            let connection = try options.connect()
            let migrator = try Migrator(connection: connection)
            if status {
                let state = try migrator.status()
                if output.isJSON {
                    print(try encodeJSON(StatusJSON(
                        applied: state.applied.map {
                            .init(version: $0.version, file: Migration.displayName(version: $0.version, name: $0.name),
                                  appliedAt: $0.appliedAt, durationMs: $0.durationMilliseconds)
                        },
                        pending: state.pending.map(\.fileName))))
                    return
                }
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
                if !options.quiet, !output.isJSON { print("applying \(migration.fileName) …") }
            }
            if output.isJSON {
                print(try encodeJSON(MigrateJSON(
                    applied: report.applied.map { .init(file: $0.migration.fileName, durationMs: $0.milliseconds) },
                    alreadyApplied: report.alreadyApplied)))
            } else if report.applied.isEmpty {
                print("Nothing to migrate: all \(report.alreadyApplied) migrations are applied.")
            } else {
                for (migration, milliseconds) in report.applied where !options.quiet {
                    print("applied  \(migration.fileName)  \(milliseconds) ms")
                }
                print("Applied \(report.applied.count) migration(s); \(report.alreadyApplied + report.applied.count) in all.")
            }
        }
    }
}
