import ArgumentParser

@main
struct Warehouse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warehouse",
        abstract: "Load the supplier's order snapshots into a PostgreSQL star schema, report on them, and ship them.",
        discussion: """
            Connection: --database-url, else DATABASE_URL, else libpq's PG* variables, else the \
            embedded default cluster under .warehouse/ (or WAREHOUSE_HOME), started on demand.
            """,
        version: "0.1.0",
        subcommands: [
            Migrate.self, Ingest.self, Check.self, Pull.self, Report.self, History.self, ExportSQLite.self,
            Generate.self, Serve.self, DB.self, Status.self,
        ]
    )
}
