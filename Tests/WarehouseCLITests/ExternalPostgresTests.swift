import Foundation
import Testing
import WarehouseTestSupport

/// docs/external-postgres.md, followed as written: a stock server that wants passwords over
/// TCP, an application role that is not a superuser and owns its database, and the binary
/// reaching it by URL, by URL plus a password file, by service name, and through the container
/// image's entry point.
@Suite("External PostgreSQL: a non-superuser on a stock server", .blockingWork)
final class ExternalPostgresTests {
    static let role = "wh_app"
    static let database = "wh_orders"
    /// Every character that breaks a URL or a .pgpass line unless encoded or escaped.
    static let password = #"p@ss:w/rd %#?&=\'"x"#

    let server: StockPostgres
    let folder: URL

    init() throws {
        server = try StockPostgres.start(hostAuthentication: "scram-sha-256")
        try server.createOwner(role: Self.role, database: Self.database, password: Self.password)
        folder = try TestSupport.temporaryDirectory("warehouse-external-pg")
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// The binary's environment: no database from the test process, a home folder of its own,
    /// and no ~/.pgpass unless the test names one.
    func environment(_ extra: [String: String]) -> [String: String] {
        var environment = WarehouseCLI.isolatedEnvironment
        environment["WAREHOUSE_HOME"] = folder.appendingPathComponent("home").path
        environment["PGPASSFILE"] = folder.appendingPathComponent("no-such-pgpass").path
        environment.merge(extra) { _, new in new }
        return environment
    }

    @discardableResult
    func run(_ arguments: [String], _ extra: [String: String]) throws -> WarehouseCLI.Outcome {
        let outcome = try WarehouseCLI.run(arguments, environment: environment(extra))
        #expect(outcome.status == 0, "warehouse \(arguments.joined(separator: " ")) exited \(outcome.status): \(outcome.standardError)")
        #expect(!outcome.standardOutput.contains(Self.password) && !outcome.standardError.contains(Self.password))
        return outcome
    }

    func totalOrders(_ extra: [String: String], _ arguments: [String] = []) throws -> [[String]] {
        let records = CSVRecords.parse(try run(["report", "total-orders", "--format", "csv"] + arguments, extra).standardOutput)
        #expect(records.first == TinyOrders.totalOrdersHeader)
        return Array(records.dropFirst())
    }

    /// A .pgpass line for this server: `:` and `\` in a field are escaped with `\`.
    func writePasswordFile() throws -> URL {
        let escaped = Self.password.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ":", with: "\\:")
        let url = folder.appendingPathComponent("pgpass")
        try "127.0.0.1:\(server.port):\(Self.database):\(Self.role):\(escaped)\n".write(to: url, atomically: true, encoding: .utf8)
        // libpq ignores a password file that others may read.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        return url
    }

    @Test("migrate, ingest and report with the password percent-encoded in DATABASE_URL")
    func passwordInTheURL() throws {
        let url = server.url(user: Self.role, database: Self.database, password: Self.password)
        let withURL = ["DATABASE_URL": url]
        try run(["migrate"], withURL)
        let file = try TinyOrders.write(TinyOrders.firstDay, named: "orders_2023-12-10.csv", in: folder)
        try run(["ingest", file.path], withURL)
        #expect(try totalOrders(withURL) == TinyOrders.totalOrders(TinyOrders.firstDay))
    }

    @Test("the same with the password in a PGPASSFILE and none in the URL, and by PGSERVICE")
    func passwordFileAndService() throws {
        let bare = server.url(user: Self.role, database: Self.database)
        // The server really wants the password: without one, nothing connects.
        let refused = try WarehouseCLI.run(["migrate"], environment: environment(["DATABASE_URL": bare]))
        #expect(refused.status != 0 && refused.standardError.contains("password"), "\(refused.standardError)")

        let passwordFile = try writePasswordFile()
        let withFile = ["DATABASE_URL": bare, "PGPASSFILE": passwordFile.path]
        try run(["migrate"], withFile)
        try run(["ingest", try TinyOrders.write(TinyOrders.firstDay, named: "day1.csv", in: folder).path], withFile)
        try run(["ingest", try TinyOrders.write(TinyOrders.secondDay, named: "day2.csv", in: folder).path], withFile)
        #expect(try totalOrders(withFile) == TinyOrders.totalOrders(TinyOrders.secondDay))

        // A service file names host, port, database and user; the password still comes from PGPASSFILE.
        let serviceFile = folder.appendingPathComponent("pg_service.conf")
        try """
            [warehouse]
            host=127.0.0.1
            port=\(server.port)
            dbname=\(Self.database)
            user=\(Self.role)

            """.write(to: serviceFile, atomically: true, encoding: .utf8)
        let byService = ["PGSERVICEFILE": serviceFile.path, "PGSERVICE": "warehouse", "PGPASSFILE": passwordFile.path]
        #expect(try totalOrders(byService) == TinyOrders.totalOrders(TinyOrders.secondDay))
        let serviceFileOnly = ["PGSERVICEFILE": serviceFile.path, "PGPASSFILE": passwordFile.path]
        #expect(try totalOrders(serviceFileOnly, ["--database-url", "service=warehouse"]) == TinyOrders.totalOrders(TinyOrders.secondDay))
    }

    @Test("the container entry point passes a password file to libpq without URL encoding")
    func containerEntryPoint() throws {
        let secret = folder.appendingPathComponent("db_password")
        try (Self.password + "\n").write(to: secret, atomically: true, encoding: .utf8)
        var extra = [
            "DATABASE_URL": server.url(user: Self.role, database: Self.database),
            "PGPASSWORD_FILE": secret.path,
        ]
        extra["PATH"] = WarehouseCLI.executable.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let entryPoint = TestSupport.packageRoot.appendingPathComponent("deploy/docker/entrypoint.sh").path
        let migrated = try ProcessOutput.run("/bin/sh", [entryPoint, "migrate"], environment: environment(extra))
        #expect(migrated.status == 0, "\(migrated.standardError)")
        let status = try ProcessOutput.run("/bin/sh", [entryPoint, "migrate", "--status"], environment: environment(extra))
        #expect(status.status == 0 && status.standardOutput.contains(" applied, 0 pending"), "\(status.standardOutput)\(status.standardError)")
    }
}
