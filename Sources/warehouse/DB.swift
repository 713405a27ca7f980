import ArgumentParser
import WarehouseKit

extension Warehouse {
    struct DB: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "db",
            abstract: "Start, stop, inspect and reset the embedded default database.",
            discussion: """
                These commands manage only the embedded PostgreSQL cluster that warehouse creates \
                under its home folder (--home, else WAREHOUSE_HOME, else ./.warehouse): they ignore \
                --database-url, DATABASE_URL and PG* variables. Any other command starts the cluster \
                on demand when it is the target, so `db start` is never required.

                The cluster listens on a unix socket only (no TCP), owned by the account that runs it. \
                When warehouse runs as root, the server runs as WAREHOUSE_PG_USER, else postgres, \
                else nobody, since PostgreSQL refuses to run as root. Server programs are found \
                through WAREHOUSE_PG_BINDIR, pg_config --bindir, /usr/lib/postgresql/*/bin, or PATH.
                """,
            subcommands: [Start.self, Stop.self, Status.self, URLCommand.self, Reset.self]
        )
    }
}

/// The only option `db` subcommands take: which home folder's cluster.
struct ClusterOptions: ParsableArguments {
    @Option(name: .customLong("home"), help: ArgumentHelp(
        "Folder of the embedded cluster (default: WAREHOUSE_HOME, else ./.warehouse).", valueName: "dir"))
    var home: String?

    var cluster: EmbeddedCluster { DatabaseSettings(home: home).embeddedCluster }
}
