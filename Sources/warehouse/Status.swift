import ArgumentParser
import Foundation
import WarehouseKit

extension Warehouse {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the target database, its migrations, the last loads, row counts and an integrity check.",
            discussion: """
                Works on any database, migrated or not, and on a read-only standby: nothing is \
                created or changed. Exits with status 78 when the database is not migrated (or only \
                partly, or by a newer build), 1 when the integrity check finds orphan facts.
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
            let inspection = DatabaseInspectionStore(connection: connection)
            print("Server:      PostgreSQL \(try inspection.serverVersion())")

            let present = try inspection.objectsPresent()
            let schema = try migrations(connection)
            if present.loadBatches { try lastBatches(connection) }
            try rowCounts(inspection)
            let healthy = present.integrityCheck ? try integrity(inspection) : true
            if !schema.isCurrent {
                FileHandle.standardError.write(Data("Error: \(schema.message)\n".utf8))
                throw ExitCode(ExitStatus.schemaNotReady.rawValue)
            }
            if !healthy { throw ExitCode.failure }
        }

        /// Reads the ledger without creating it: `status` must not change an unmigrated database.
        private func migrations(_ connection: PostgresConnection) throws -> SchemaReadiness {
            let readiness = try SchemaReadiness.inspect(connection)
            switch readiness {
            case .missing:
                print("Migrations:  not migrated (\(try Migration.embedded().count) pending): run `warehouse migrate`")
            case .inconsistent, .newer:
                print("Migrations:  PROBLEM: \(readiness.message)")
            case .current, .pending:
                let state = try Migrator(connection: connection).status()
                let pending = state.pending.isEmpty ? "" : ": run `warehouse migrate`"
                print("Migrations:  \(state.applied.count) applied, \(state.pending.count) pending\(pending)")
            }
            return readiness
        }

        private func lastBatches(_ connection: PostgresConnection) throws {
            let batches = try LoadHistoryStore(connection: connection).recent(limit: 5)
            guard !batches.isEmpty else {
                print("Last loads:  none yet")
                return
            }
            print("Last loads:")
            let header = ["batch", "status", "started", "read", "inserted", "updated", "rejected"]
            let rows = batches.map { batch in
                [String(batch.batchID), batch.status, batch.startedAt] + [batch.rowsRead, batch.inserted, batch.updated, batch.rejected]
                    .map { $0.map(String.init) ?? "-" }
            }
            printTable(header: header, rows: rows, rightAligned: [0, 3, 4, 5, 6])
        }

        private func rowCounts(_ inspection: DatabaseInspectionStore) throws {
            let rows = try inspection.rowCounts().map { [$0.table, String($0.rows)] }
            guard !rows.isEmpty else { return }
            print("Rows:")
            printTable(header: nil, rows: rows, rightAligned: [1])
        }

        /// Facts whose keys have no dimension row (loads check this set-wise; this re-checks it all).
        private func integrity(_ inspection: DatabaseInspectionStore) throws -> Bool {
            let problems = try inspection.integrityProblems()
            guard !problems.isEmpty else {
                print("Integrity:   ok (every fact's keys have a dimension row)")
                return true
            }
            let text = problems.map { "\($0.orphanFacts) facts with an unknown \($0.factColumn)" }
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
