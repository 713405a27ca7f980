import Foundation
import WarehouseKit

/// The migrated template that ``TestDatabase/fresh(migrated:)`` copies.
///
/// Named by a hash of the migrations, so a changed migration gets a new template. Built once
/// per process at most, under an advisory lock so that parallel test processes sharing one
/// server neither build it twice nor copy a half-built one: it is built under a temporary name
/// and renamed when complete.
enum TestTemplate {
    /// Arbitrary but fixed `pg_advisory_lock` key for template building.
    static let lockKey: Int64 = 0x5748_5450_4C00  // "WHTPL"

    private static let built = Locked<String?>(nil)

    static func name(on server: TestServer) throws -> String {
        try built.withLock { cached in
            if let cached { return cached }
            let name = try build(on: server)
            cached = name
            return name
        }
    }

    private static func build(on server: TestServer) throws -> String {
        let migrations = try Migration.embedded()
        let fingerprint = SHA256Hasher.hex(of: migrations.map { "\($0.version):\($0.checksum)" }.joined(separator: ","))
        let name = "wh_tpl_\(fingerprint.prefix(12))"
        let scratch = name + "_build"

        let admin = try server.connectAdmin()
        try admin.execute("select pg_advisory_lock(\(lockKey))")
        defer { _ = try? admin.execute("select pg_advisory_unlock(\(lockKey))") }

        let exists = try admin.execute("select count(*) as n from pg_database where datname = \(name)").single()
        if try exists.int("n") == 0 {
            try admin.execute("drop database if exists \(identifier: scratch) with (force)")
            try admin.execute("create database \(identifier: scratch) template template0")
            try migrate(server.parameters(database: scratch))
            // The migrating session may linger a moment after disconnecting; rename waits for it.
            try retryWhileInUse { try admin.execute("alter database \(identifier: scratch) rename to \(identifier: name)") }
        }
        // Templates of older migration sets only take space.
        let stale = try admin.execute("""
            select datname from pg_database
            where datname like 'wh\\_tpl\\_%' and datname <> \(name) and datname <> \(scratch)
            """)
        for row in stale.rows {
            if let old = row[0] { _ = try? admin.execute("drop database if exists \(identifier: old) with (force)") }
        }
        return name
    }

    private static func migrate(_ parameters: ConnectionParameters) throws {
        let connection = try PostgresConnection(conninfo: parameters.conninfo)
        try Migrator(connection: connection).migrate()
    }

    /// Retries `body` while PostgreSQL says the source database is in use (SQLSTATE 55006),
    /// which happens for a moment after its last session disconnected.
    static func retryWhileInUse(_ body: () throws -> Void) throws {
        var attempt = 0
        while true {
            do {
                try body()
                return
            } catch let error as PostgresError where error.sqlState == "55006" && attempt < 50 {
                attempt += 1
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
    }
}
