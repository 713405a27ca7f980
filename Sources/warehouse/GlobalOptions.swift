import ArgumentParser
import WarehouseKit

/// Options every database-using subcommand shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL or conninfo (default: DATABASE_URL, PG* variables, else the embedded cluster).")
    var databaseURL: String?

    @Option(name: .customLong("home"), help: "Folder of the embedded cluster and landing files (default: WAREHOUSE_HOME, else ./.warehouse).")
    var home: String?

    @Flag(name: [.short, .long], help: "Print only errors and the result.")
    var quiet = false
}
