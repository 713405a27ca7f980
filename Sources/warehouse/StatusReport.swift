import Foundation
import WarehouseKit

/// What `warehouse status` found, printed as text or JSON. Reading it changes nothing.
struct StatusReport: Encodable {
    struct Load: Encodable {
        let batchID: Int
        let status: String
        let source: String
        let startedAt: String
        let rowsRead: Int?
        let inserted: Int?
        let updated: Int?
        let rejected: Int?

        enum CodingKeys: String, CodingKey {
            case batchID = "batch_id", status, source, startedAt = "started_at", rowsRead = "rows_read", inserted, updated, rejected
        }
    }

    struct Integrity: Encodable {
        let ok: Bool
        let problems: [String]
    }

    struct Pull: Encodable {
        let source: String
        let failing: Bool
        let consecutiveFailures: Int
        let lastAttemptAt: String
        let lastSuccessAt: String?
        let lastFailureAt: String?
        let lastError: String?

        enum CodingKeys: String, CodingKey {
            case source, failing, consecutiveFailures = "consecutive_failures", lastAttemptAt = "last_attempt_at",
                 lastSuccessAt = "last_success_at", lastFailureAt = "last_failure_at", lastError = "last_error"
        }
    }

    var target = ""
    var serverVersion = ""
    /// ``SchemaReadiness/name``: `current`, `missing`, `pending-migrations`, …
    var schema = ""
    var schemaMessage = ""
    var migrationsApplied = 0
    var migrationsPending: [String] = []
    var lastLoads: [Load]?
    var rowCounts: [String: Int] = [:]
    var integrity: Integrity?
    var freshness: FreshnessReport?
    var pulls: [Pull] = []

    enum CodingKeys: String, CodingKey {
        case target, serverVersion = "server_version", schema, schemaMessage = "schema_message",
             migrationsApplied = "migrations_applied", migrationsPending = "migrations_pending",
             lastLoads = "last_loads", rowCounts = "row_counts", integrity, freshness, pulls
    }

    mutating func read(from connection: PostgresConnection, maxAgeSeconds: Double, referenceTime: String?) throws {
        let inspection = DatabaseInspectionStore(connection: connection)
        serverVersion = try inspection.serverVersion()
        let readiness = try SchemaReadiness.inspect(connection)
        schema = readiness.name
        schemaMessage = readiness.message
        switch readiness {
        case .missing:
            migrationsPending = try Migration.embedded().map(\.fileName)
        case .current, .pending:
            let state = try Migrator(connection: connection).status()
            migrationsApplied = state.applied.count
            migrationsPending = state.pending.map(\.fileName)
        case .newer, .inconsistent:
            break
        }
        let present = try inspection.objectsPresent()
        if present.loadBatches {
            let loads = LoadHistoryStore(connection: connection, referenceTime: referenceTime)
            lastLoads = try loads.recent(limit: 5).map {
                Load(batchID: $0.batchID, status: $0.status, source: $0.source, startedAt: $0.startedAt,
                     rowsRead: $0.rowsRead, inserted: $0.inserted, updated: $0.updated, rejected: $0.rejected)
            }
            let fresh = Freshness(lastConfirmation: try loads.lastConfirmation(), maxAgeSeconds: maxAgeSeconds)
            freshness = FreshnessReport(fresh, statesVerdict: false)
        }
        pulls = try PullHealthStore(connection: connection).entries().map {
            Pull(source: $0.source, failing: $0.isFailing, consecutiveFailures: $0.consecutiveFailures, lastAttemptAt: $0.lastAttemptAt,
                 lastSuccessAt: $0.lastSuccessAt, lastFailureAt: $0.lastFailureAt, lastError: $0.lastError)
        }
        for (table, rows) in try inspection.rowCounts() { rowCounts[table] = rows }
        if present.integrityCheck {
            let problems = try inspection.integrityProblems().map { "\($0.orphanFacts) facts with an unknown \($0.factColumn)" }
            integrity = Integrity(ok: problems.isEmpty, problems: problems)
        }
    }

    var text: String {
        var lines = ["Target:      \(target)", "Server:      PostgreSQL \(serverVersion)"]
        switch schema {
        case "missing":
            lines.append("Migrations:  not migrated (\(migrationsPending.count) pending): run `warehouse migrate`")
        case "current", "pending-migrations":
            let hint = migrationsPending.isEmpty ? "" : ": run `warehouse migrate`"
            lines.append("Migrations:  \(migrationsApplied) applied, \(migrationsPending.count) pending\(hint)")
        default:
            lines.append("Migrations:  PROBLEM: \(schemaMessage)")
        }
        if let lastLoads {
            if lastLoads.isEmpty {
                lines.append("Last loads:  none yet")
            } else {
                lines.append("Last loads:")
                let rows = lastLoads.map { load in
                    [String(load.batchID), load.status, load.startedAt] + [load.rowsRead, load.inserted, load.updated, load.rejected]
                        .map { $0.map(String.init) ?? "-" }
                }
                lines += Self.table(header: ["batch", "status", "started", "read", "inserted", "updated", "rejected"],
                                    rows: rows, rightAligned: [0, 3, 4, 5, 6])
            }
        }
        if !rowCounts.isEmpty {
            lines.append("Rows:")
            let order = ["warehouse.fact_orders", "warehouse.dim_customers", "warehouse.dim_products", "warehouse.dim_dates"]
            let rows = order.compactMap { table in rowCounts[table].map { [table, String($0)] } }
            lines += Self.table(header: nil, rows: rows, rightAligned: [1])
        }
        if let integrity {
            lines.append(integrity.ok ? "Integrity:   ok (every fact's keys have a dimension row)"
                                      : "Integrity:   PROBLEM: " + integrity.problems.joined(separator: "; "))
        }
        if let freshness { lines.append("Freshness:   \(freshness.message)") }
        for pull in pulls {
            if pull.failing {
                let error = (pull.lastError ?? "").split(whereSeparator: \.isNewline).first.map { String($0.prefix(200)) } ?? ""
                lines.append("Pulls:       FAILING: \(pull.source): \(pull.consecutiveFailures) failed in a row, the last at \(pull.lastFailureAt ?? "?")"
                    + " (last success: \(pull.lastSuccessAt ?? "never")): \(error)")
            } else {
                lines.append("Pulls:       ok: \(pull.source): the last succeeded at \(pull.lastSuccessAt ?? "?")")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func table(header: [String]?, rows: [[String]], rightAligned: Set<Int>) -> [String] {
        let all = (header.map { [$0] } ?? []) + rows
        let widths = (0..<(all.first?.count ?? 0)).map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { line in
            let cells = line.enumerated().map { column, text in
                let padding = String(repeating: " ", count: widths[column] - text.count)
                return rightAligned.contains(column) ? padding + text : text + padding
            }
            return "  " + cells.joined(separator: "  ")
        }
    }
}
