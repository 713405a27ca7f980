import ArgumentParser
import Foundation
import WarehouseKit

extension Warehouse {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the target database, its migrations, the last loads, row counts and an integrity check.",
            discussion: """
                Works on any database, migrated or not: nothing is created or changed. Exits with \
                status 1 when the integrity check finds orphan facts or the migration ledger \
                disagrees with this build.
                """)

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let settings = options.settings
            let connection: PostgresConnection
            if settings.source == .embedded {
                let running = try settings.embeddedCluster.startIfNeeded()
                print("Target:      \(running.url) (embedded cluster in \(settings.home.path))")
                connection = try PostgresConnection(conninfo: running.conninfo)
            } else {
                print("Target:      \(settings.displayName)")
                connection = try settings.connect()
            }
            let version = try connection.execute("select current_setting('server_version') as version").single()
            print("Server:      PostgreSQL \(try version.string("version"))")

            let present = try connection.execute("""
                select to_regclass('ops.schema_migrations') is not null as ledger,
                       to_regclass('ops.load_batches') is not null as batches,
                       to_regprocedure('ops.check_integrity()') is not null as integrity
                """).single()
            var healthy = try migrations(connection, hasLedger: present.bool("ledger"))
            if try present.bool("batches") { try lastBatches(connection) }
            try rowCounts(connection)
            if try present.bool("integrity") { healthy = try integrity(connection) && healthy }
            if !healthy { throw ExitCode.failure }
        }

        /// Reads the ledger without creating it: `status` must not change an unmigrated database.
        private func migrations(_ connection: PostgresConnection, hasLedger: Bool) throws -> Bool {
            let known = try Migration.embedded()
            guard hasLedger else {
                print("Migrations:  not migrated (\(known.count) pending): run `warehouse migrate`")
                return true
            }
            do {
                let state = try Migrator(connection: connection).status()
                let pending = state.pending.isEmpty ? "" : ": run `warehouse migrate`"
                print("Migrations:  \(state.applied.count) applied, \(state.pending.count) pending\(pending)")
                return true
            } catch let error as MigrationError {
                print("Migrations:  PROBLEM: \(error)")
                return false
            }
        }

        private func lastBatches(_ connection: PostgresConnection) throws {
            let result = try connection.execute("""
                select batch_id, \(unsafeRaw: LoadBatchLedger.displayedStatusSQL) as status,
                       to_char(started_at, 'YYYY-MM-DD HH24:MI:SS') as started,
                       rows_read, rows_inserted, rows_updated, rows_rejected
                from ops.load_batches
                order by batch_id desc
                limit 5
                """)
            guard result.rowCount > 0 else {
                print("Last loads:  none yet")
                return
            }
            print("Last loads:")
            let header = ["batch", "status", "started", "read", "inserted", "updated", "rejected"]
            let rows = result.rows.map { row in (0..<header.count).map { row[$0] ?? "-" } }
            printTable(header: header, rows: rows, rightAligned: [0, 3, 4, 5, 6])
        }

        private func rowCounts(_ connection: PostgresConnection) throws {
            let tables = [
                ("warehouse", "fact_orders"), ("warehouse", "dim_customers"),
                ("warehouse", "dim_products"), ("warehouse", "dim_dates"),
            ]
            var rows: [[String]] = []
            for (schema, table) in tables {
                let name = "\(schema).\(table)"
                let exists = try connection.execute("select to_regclass(\(name)) is not null as present").single()
                guard try exists.bool("present") else { continue }
                let count = try connection.execute("select count(*) as n from \(identifier: schema).\(identifier: table)")
                rows.append([name, try count.single().string("n")])
            }
            guard !rows.isEmpty else { return }
            print("Rows:")
            printTable(header: nil, rows: rows, rightAligned: [1])
        }

        /// Facts whose keys have no dimension row (loads check this set-wise; this re-checks it all).
        private func integrity(_ connection: PostgresConnection) throws -> Bool {
            let result = try connection.execute("select fact_column, orphan_facts from ops.check_integrity()")
            let problems = try result.rows.filter { try $0.int("orphan_facts") > 0 }
            guard !problems.isEmpty else {
                print("Integrity:   ok (every fact's keys have a dimension row)")
                return true
            }
            let text = try problems.map { "\(try $0.string("orphan_facts")) facts with an unknown \(try $0.string("fact_column"))" }
            print("Integrity:   PROBLEM: " + text.joined(separator: "; "))
            return false
        }

        private func printTable(header: [String]?, rows: [[String]], rightAligned: Set<Int>) {
            let all = (header.map { [$0] } ?? []) + rows
            let widths = (0..<(all.first?.count ?? 0)).map { column in all.map { $0[column].count }.max() ?? 0 }
            for line in all {
                let cells = line.enumerated().map { column, text in
                    let padding = String(repeating: " ", count: widths[column] - text.count)
                    return rightAligned.contains(column) ? padding + text : text + padding
                }
                print("  " + cells.joined(separator: "  "))
            }
        }
    }
}
