import ArgumentParser
import WarehouseKit

/// Options every database-using subcommand shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: ArgumentHelp(
        "PostgreSQL URL or conninfo (default: DATABASE_URL, then PG* variables, then the embedded cluster).",
        valueName: "url"))
    var databaseURL: String?

    @Option(name: .customLong("home"), help: ArgumentHelp(
        "Folder of the embedded cluster and landing files (default: WAREHOUSE_HOME, else ./.warehouse).",
        valueName: "dir"))
    var home: String?

    @Flag(name: [.short, .long], help: "Print only errors and the result.")
    var quiet = false

    @Flag(name: [.short, .long], help: "Show row data in errors (PostgreSQL's DETAIL), which is withheld by default.")
    var verbose = false

    /// Runs as the command line is parsed, before any command works: the one place that sets
    /// what errors may show.
    func validate() throws {
        PostgresError.showsDetail = verbose
    }

    var settings: DatabaseSettings { DatabaseSettings(databaseURL: databaseURL, home: home) }

    /// Connects, starting the embedded cluster when that is the target.
    func connect() throws -> PostgresConnection { try settings.connect() }

    /// Connects and checks, reading only, that the schema is the one this build knows: only
    /// `warehouse migrate` changes it, every other command stops with ``SchemaNotReadyError``.
    func connectReady() throws -> PostgresConnection {
        let connection = try connect()
        try SchemaReadiness.requireCurrent(connection)
        return connection
    }
}
