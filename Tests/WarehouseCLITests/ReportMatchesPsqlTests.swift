import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// The psql files in `sql/analysis/`, run by the real `psql` exactly as an analyst would, and the
/// built `warehouse report` binary must give the same header and rows on the same database.
@Suite("Report: sql/analysis under psql == warehouse report", .blockingWork)
struct ReportMatchesPsqlTests {
    // Names that need CSV quoting or look like formulas; values with trailing zeros; ties.
    static let orders = #"""
        1,"Smith, ""Jr""",10.00,2023-12-04,lounge,1
        2,Zoë Ångström,10,2023-12-10,parking,2
        3,=SUM(A1),500.00,2023-12-03,transfer,1
        4,=SUM(A1),0.10,2023-12-09,transfer,3
        5,Ann,999.99,2023-12-11,fast track,1
        6,Ann,0.01,2023-12-05,lounge,1
        7,Ben,10.00,2023-12-05,lounge,1
        8,Ben,0.00,2023-12-05,Fast-Track,1

        """#

    /// (report, psql variables, extra CLI options). Batch 1 is `orders`; batch 2 adds the rows
    /// around the server's today and changes order 2's price.
    static let cases: [(ReportKind, [String: String], [String])] = [
        (.totalOrders, [:], []),
        (.totalOrders, ["limit": "2"], ["--limit", "2"]),
        (.totalOrders, ["at_batch": "1"], ["--at-batch", "1"]),
        (.mostRecentOrder, [:], []),
        (.mostRecentOrder, ["limit": "3"], ["--limit", "3"]),
        (.mostRecentOrder, ["at_batch": "1"], ["--at-batch", "1"]),
        (.topCustomers, ["as_of": "2023-12-10"], ["--as-of", "2023-12-10"]),
        (.topCustomers, ["as_of": "2023-12-10", "days": "8"], ["--as-of", "2023-12-10", "--days", "8"]),
        (.topCustomers, ["as_of": "2023-12-10", "days": "1"], ["--as-of", "2023-12-10", "--days", "1"]),
        (.topCustomers, ["as_of": "2023-12-11", "days": "30"], ["--as-of", "2023-12-11", "--days", "30"]),
        (.topCustomers, ["as_of": "2023-12-11", "days": "30", "limit": "2"], ["--as-of", "2023-12-11", "--days", "30", "--limit", "2"]),
        (.topCustomers, ["as_of": "2023-12-11", "days": "30", "at_batch": "1"], ["--as-of", "2023-12-11", "--days", "30", "--at-batch", "1"]),
        (.topCustomers, ["as_of": "2023-11-01"], ["--as-of", "2023-11-01"]),
        (.topCustomers, [:], []),
    ]

    @Test("every report, window, limit and batch gives identical rows both ways")
    func identicalRows() throws {
        // The last case reads the server's today: a run that straddles midnight is tried again.
        var finished = false
        for _ in 0..<2 where !finished { finished = try compareAllCases() }
        #expect(finished, "the server's date changed during both tries")
    }

    /// False when the server's date changed while comparing (the default window moved).
    private func compareAllCases() throws -> Bool {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let connection = try database.connect()
        try load(Self.orders, on: connection)
        // Orders around today, so the default as-of (current_date) has something to rank.
        let today = try connection.execute("select current_date - 6 as a, current_date - 7 as b, current_date as c").single()
        try load("""
            2,Zoë Ångström,12.50,2023-12-10,parking,2
            9,Ann,4.00,\(try today.string("a")),lounge,1
            10,Cid,9.00,\(try today.string("b")),lounge,1
            11,Ben,3.00,\(try today.string("c")),lounge,1

            """, on: connection, incremental: true)

        var nonEmpty = 0
        for (kind, variables, options) in Self.cases {
            let file = Psql.repositoryRoot.appendingPathComponent("sql/analysis").appendingPathComponent(kind.analysisFileName)
            let psql = try Psql.runCSV(file: file, variables: variables, conninfo: database.conninfo)
            let limit = variables["limit"] == nil ? ["--limit", "all"] : []
            let cli = try warehouse(["report", kind.rawValue, "--format", "csv", "--database-url", database.conninfo] + limit + options)
            #expect(cli.status == 0, "\(kind) \(options): \(cli.standardError)")
            let rows = CSVRecords.parse(cli.standardOutput)
            #expect(rows == psql, "\(kind) \(options)")
            #expect(rows.first == kind.columns.map(\.name))
            if let limit = variables["limit"].flatMap(Int.init) { #expect(rows.count == limit + 1, "\(kind) \(options)") }
            if rows.count > 1 { nonEmpty += 1 }
        }
        // Guard against a vacuous pass: all but the empty window have rows.
        #expect(nonEmpty == Self.cases.count - 1)
        // Batch 1 predates order 2's new price: the time-travelled report must show the old one.
        let before = try warehouse(["report", "most-recent-order", "--format", "csv", "--at-batch", "1", "--database-url", database.conninfo])
        #expect(CSVRecords.parse(before.standardOutput).contains { $0.first == "Zoë Ångström" && $0[4] == "10.00" })
        return try connection.execute("select current_date::text as d").single().string("d") == (try today.string("c"))
    }

    @Test("an empty window: header only on stdout, the message on stderr, exit 0")
    func emptyWindow() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let connection = try database.connect()
        try load(Self.orders, on: connection)
        let csv = try warehouse(["report", "top-customers", "--as-of", "2023-01-10", "--format", "csv", "--database-url", database.conninfo])
        #expect(csv.status == 0)
        #expect(csv.standardOutput == "rank,customer_name,total_value,order_count\r\n")
        #expect(csv.standardError == "No orders between 2023-01-04 and 2023-01-10.\n")
        let table = try warehouse(["report", "top-customers", "--as-of", "2023-01-10", "--database-url", database.conninfo])
        #expect(table.status == 0)
        #expect(table.standardOutput.hasPrefix("Top customers by value, 2023-01-04 .. 2023-01-10 (7 days)\n"))
        #expect(table.standardOutput.hasSuffix("(0 rows)\nNo orders between 2023-01-04 and 2023-01-10.\n"))
    }

    @Test("the psql files compiled into the binary are the ones in sql/analysis/")
    func embeddedFilesMatchTheFolder() throws {
        let folder = Psql.repositoryRoot.appendingPathComponent("sql/analysis")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(SQLFiles.analysis.map(\.name) == names)
        #expect(names == ReportKind.allCases.map(\.analysisFileName))
        for (name, sql) in SQLFiles.analysis {
            #expect(sql == (try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)), "\(name)")
        }
        let printed = try warehouse(["report", "top-customers", "--sql"])
        #expect(printed.standardOutput == SQLFiles.analysis(named: ReportKind.topCustomers.analysisFileName))
    }

    func load(_ rows: String, on connection: PostgresConnection, incremental: Bool = false) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("report-psql-\(UUID().uuidString).csv")
        try ("order_id,customer_name,price,order_date,product_id,passenger_count\n" + rows).write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        var options = IngestOptions()
        options.incremental = incremental
        _ = try Ingestor(connection: connection, options: options).ingest(path: url.path)
    }

    /// Runs the built `warehouse` executable (it sits next to the test bundle).
    func warehouse(_ arguments: [String]) throws -> ProcessOutput {
        let binary = Bundle.main.bundleURL.appendingPathComponent("warehouse")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw ProcessOutput.Failure(description: "no warehouse binary at \(binary.path); run swift build first")
        }
        return try ProcessOutput.run(binary.path, arguments)
    }
}
