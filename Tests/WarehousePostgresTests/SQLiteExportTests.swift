import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// The export against a real PostgreSQL: what lands in the file, and what a failure leaves.
@Suite("SQLite export", .blockingWork)
struct SQLiteExportTests {
    struct InjectedFailure: Error {}

    /// Exports the fixture to `directory/application.db`.
    @discardableResult
    private func export(
        _ database: ExportTestDatabase, to directory: URL, asOf: String? = ExportFixture.asOf,
        allowIncremental: Bool = true, afterRow: ((String, Int) throws -> Void)? = nil
    ) throws -> SQLiteExportSummary {
        var exporter = SQLiteExporter(
            connection: database.connection, destination: directory.appendingPathComponent("application.db"),
            asOf: asOf, sourceDescription: "postgresql://tester:s3cret@localhost/\(database.name)")
        exporter.allowIncremental = allowIncremental
        exporter.afterRow = afterRow
        return try exporter.run()
    }

    private func open(_ directory: URL) throws -> SQLiteDatabase {
        try SQLiteDatabase(path: directory.appendingPathComponent("application.db").path, mode: .readOnly)
    }

    /// Rows of a PostgreSQL query as text (NULL as nil), for comparing with SQLite's.
    private func postgresRows(_ connection: PostgresConnection, _ sql: SQL) throws -> [[String?]] {
        let result = try connection.execute(sql)
        return result.rows.map { row in (0..<result.columnCount).map { row[$0] } }
    }

    private func sqliteRows(_ database: SQLiteDatabase, _ sql: String) throws -> [[String?]] {
        try database.rows(sql: sql).map { $0.map { $0 == .null ? nil : $0.description } }
    }

    private func directoryListing(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    @Test func rowCountsAndReportsMatchPostgres() throws {
        try ExportTestDatabase.with { database in
            try ExportFixture.load(into: database.connection)
            try withTemporaryDirectory { directory in
                let summary = try export(database, to: directory)
                #expect(summary.asOf == ExportFixture.asOf)
                #expect(summary.lastBatchID == 2)  // batch 3 failed
                #expect(try directoryListing(directory) == ["application.db"])

                let sqlite = try open(directory)
                let counts: [(String, SQL)] = [
                    ("dim_customers", "select count(*) from warehouse.dim_customers"),
                    ("dim_products", "select count(*) from warehouse.dim_products"),
                    ("dim_dates", "select count(*) from warehouse.dim_dates"),
                    ("fact_orders", "select count(*) from warehouse.fact_orders"),
                    ("total_orders_per_customer", "select count(*) from reporting.total_orders_per_customer"),
                    ("most_recent_order_per_customer", "select count(*) from reporting.most_recent_order_per_customer"),
                    ("top_customers_last_week", "select count(*) from reporting.top_customers('2023-12-10', 7, null)"),
                ]
                for (table, query) in counts {
                    let expected = try database.connection.execute(query).single()[0].flatMap { Int($0) }
                    let actual = try sqlite.scalar(sql: "select count(*) from \(table)")?.int64.map { Int($0) }
                    #expect(actual == expected, "\(table)")
                    #expect(summary.rows(of: table) == expected, "\(table)")
                    let info = try sqlite.scalar(sql: "select value from export_info where key = ?", arguments: [.text("rows.\(table)")])
                    #expect(info?.int64.map { Int($0) } == expected, "export_info rows.\(table)")
                }
                #expect(summary.rows(of: "fact_orders") == ExportFixture.orderCount)
                // A tie (8 and 2 both 0.30) and a three-way tie at rank 2 are in the fixture.
                #expect(summary.rows(of: "top_customers_last_week") == 7)

                // Money is compared as exact text on both sides: cents formatted back into dd.cc.
                let money = { (column: String) in "printf('%d.%02d', \(column)_cents / 100, \(column)_cents % 100)" }
                #expect(try sqliteRows(sqlite, """
                    select customer_key, customer_name, total_orders, \(money("total_value")), first_order_date, last_order_date
                    from total_orders_per_customer order by customer_key
                    """) == postgresRows(database.connection, """
                    select customer_key, customer_name, total_orders, total_value, first_order_date, last_order_date
                    from reporting.total_orders_per_customer order by customer_key
                    """))
                #expect(try sqliteRows(sqlite, """
                    select customer_key, customer_name, order_id, order_date, product_id, \(money("price")), passenger_count
                    from most_recent_order_per_customer order by customer_key
                    """) == postgresRows(database.connection, """
                    select customer_key, customer_name, order_id, order_date, product_id, price, passenger_count
                    from reporting.most_recent_order_per_customer order by customer_key
                    """))
                #expect(try sqliteRows(sqlite, """
                    select rank, customer_name, \(money("total_value")), order_count, window_start, window_end
                    from top_customers_last_week order by rank, customer_name
                    """) == postgresRows(database.connection, """
                    select rank, customer_name, total_value, order_count, window_start, window_end
                    from reporting.top_customers('2023-12-10', 7, null) order by rank, customer_name
                    """))
                #expect(try sqliteRows(sqlite, """
                    select order_id, customer_key, product_key, date_key, order_date, \(money("price")), passenger_count,
                           inserted_batch_id, updated_batch_id
                    from fact_orders order by order_id
                    """) == postgresRows(database.connection, """
                    select order_id, customer_key, product_key, date_key, order_date, price, passenger_count,
                           inserted_batch_id, updated_batch_id
                    from warehouse.fact_orders order by order_id
                    """))
                #expect(try sqliteRows(sqlite, """
                    select date_key, full_date, year, quarter, month, month_name, iso_year, iso_week,
                           day_of_month, day_of_week, day_name, case is_weekend when 1 then 't' else 'f' end
                    from dim_dates order by date_key
                    """) == postgresRows(database.connection, "select * from warehouse.dim_dates order by date_key"))

                // Spot checks that do not depend on the comparison above.
                #expect(try sqlite.scalar(sql: "select order_id from most_recent_order_per_customer where customer_key = 1") == 105)
                #expect(try sqlite.scalar(sql: "select count(*) from top_customers_last_week where rank = 2") == 3)
                #expect(try sqlite.scalar(sql: "select count(*) from fact_orders where price <> price_cents / 100.0") == 0)
                #expect(try sqlite.scalar(sql: "select total_value from top_customers_last_week where customer_key = 2") == 0.3)
            }
        }
    }

    @Test func fileIsWellFormedAndDescribesItself() throws {
        try ExportTestDatabase.with { database in
            try ExportFixture.load(into: database.connection)
            try withTemporaryDirectory { directory in
                let summary = try export(database, to: directory)
                let sqlite = try open(directory)
                #expect(try sqlite.rows(sql: "pragma foreign_key_check").isEmpty)
                #expect(try sqlite.rows(sql: "pragma integrity_check") == [[.text("ok")]])
                #expect(try sqlite.scalar(sql: "pragma user_version") == .integer(SQLiteExporter.formatVersion))
                #expect(try sqlite.scalar(sql: "pragma journal_mode") == .text("delete"))
                #expect(try sqlite.scalar(sql: "pragma page_size") == .integer(16384))

                let info = Dictionary(uniqueKeysWithValues: try sqlite.rows(sql: "select key, value from export_info")
                    .map { ($0[0].string ?? "", $0[1]) })
                #expect(info["as_of"] == .text("2023-12-10"))
                #expect(info["last_batch_id"] == .integer(2))
                #expect(info["last_batch_finished_at"] == .text("2023-12-10T06:00:00Z"))
                #expect(info["exported_at"] == .text(summary.exportedAt))
                #expect(info["source_database"] == .text(database.name))
                let source = info["source"]?.string ?? ""
                #expect(!source.contains("s3cret"), "the password must be redacted")
                #expect(source.contains("tester:****@"))

                // Declared types, keys and indexes that DBeaver and the dashboard rely on.
                let columns = try sqlite.rows(sql: "select name, type, pk from pragma_table_info('fact_orders') order by cid")
                #expect(columns.map { $0[0].string ?? "" } == [
                    "order_id", "customer_key", "product_key", "date_key", "order_date", "price_cents", "price",
                    "passenger_count", "inserted_batch_id", "updated_batch_id",
                ])
                #expect(columns[0][1] == .text("INTEGER") && columns[0][2] == .integer(1))
                #expect(columns[5][1] == .text("INTEGER") && columns[6][1] == .text("REAL"))
                let foreignKeys = try sqlite.rows(sql: #"select "table" from pragma_foreign_key_list('fact_orders') order by "table""#)
                #expect(foreignKeys == [[.text("dim_customers")], [.text("dim_dates")], [.text("dim_products")]])
                let indexes = try sqlite.rows(sql: "select name from pragma_index_list('fact_orders') where origin = 'c' order by name")
                #expect(indexes == [[.text("fact_orders_customer_idx")], [.text("fact_orders_order_date_idx")]])
                #expect(try sqlite.rows(sql: "select name from pragma_index_info('fact_orders_customer_idx')")
                    == [[.text("customer_key")]])
                #expect(try sqlite.rows(sql: "select name from pragma_index_info('fact_orders_order_date_idx')")
                    == [[.text("order_date")]])
                // A customer's orders by date still start from the customer index.
                let plan = try sqlite.rows(sql: "explain query plan select * from fact_orders where customer_key = 3 order by order_date")
                    .compactMap { $0.last?.string }.joined(separator: "; ")
                #expect(plan.contains("fact_orders_customer_idx"), "plan: \(plan)")
            }
        }
    }

    @Test func namesSurviveTheCopyTextFormat() throws {
        try ExportTestDatabase.with { database in
            try ExportFixture.load(into: database.connection)
            try withTemporaryDirectory { directory in
                try export(database, to: directory)
                let sqlite = try open(directory)
                let statement = try sqlite.makeStatement(sql: "select customer_key, customer_name from dim_customers order by customer_key")
                var names: [Int: String] = [:]
                while try statement.step() { names[Int(statement.int64(at: 0))] = statement.string(at: 1) }
                #expect(names == ExportFixture.customerNames)
                // The two-character name \N must not have become NULL (it is NOT NULL anyway) or empty.
                #expect(try sqlite.scalar(sql: "select customer_name from dim_customers where customer_key = 7") == .text(#"\N"#))
                // And the reports carry them too.
                #expect(try sqlite.scalar(sql: "select customer_name from most_recent_order_per_customer where customer_key = 4")
                    == .text("Line\nbreak"))
            }
        }
    }

    @Test func failureHalfwayKeepsThePreviousFile() throws {
        try ExportTestDatabase.with { database in
            try ExportFixture.load(into: database.connection)
            try withTemporaryDirectory { directory in
                try export(database, to: directory)
                let path = directory.appendingPathComponent("application.db")
                let before = try Data(contentsOf: path)

                #expect(throws: InjectedFailure.self) {
                    try export(database, to: directory, asOf: "2023-12-09", allowIncremental: false) { table, rows in
                        if table == "fact_orders" && rows == ExportFixture.orderCount / 2 { throw InjectedFailure() }
                    }
                }
                #expect(try Data(contentsOf: path) == before)
                #expect(try directoryListing(directory) == ["application.db"])
                // The connection is usable again after the aborted COPY.
                #expect(try database.connection.execute("select 1").single()[0] == "1")
                let exportedAsOf = try open(directory).scalar(sql: "select value from export_info where key = 'as_of'")
                #expect(exportedAsOf == .text("2023-12-10"))
            }
        }
    }

    @Test func brokenReferenceFailsAndWritesNothing() throws {
        try ExportTestDatabase.with { database in
            try ExportFixture.load(into: database.connection)
            // The warehouse has no foreign keys (loads check them set-wise), so this can happen there.
            try database.connection.execute("""
                insert into warehouse.fact_orders
                values (999, 424242, 1, 20231210, '2023-12-10', 1.00, 1, 2, 2)
                """)
            try withTemporaryDirectory { directory in
                do {
                    try export(database, to: directory)
                    Issue.record("the export should have failed")
                } catch let error as ExportError {
                    #expect(error.isForeignKeyViolation)
                    #expect(error.description.contains("fact_orders → dim_customers: 1 row(s)"))
                }
                #expect(try directoryListing(directory).isEmpty)
            }
        }
    }

    @Test func brokenReportReferenceFailsAndWritesNothing() throws {
        try ExportTestDatabase.with { database in
            try ExportFixture.load(into: database.connection)
            // A customer's latest order gone from the facts while the report still names it.
            try database.connection.execute("""
                delete from warehouse.fact_orders
                where order_id = (select min(order_id) from reporting.customer_latest_order)
                """)
            try withTemporaryDirectory { directory in
                do {
                    try export(database, to: directory)
                    Issue.record("the export should have failed")
                } catch let error as ExportError {
                    #expect(error.isForeignKeyViolation)
                    #expect(error.description.contains("most_recent_order_per_customer → fact_orders: 1 row(s)"))
                }
                #expect(try directoryListing(directory).isEmpty)
            }
        }
    }

    @Test func missingDirectoryIsReportedBeforeAnyWork() throws {
        try ExportTestDatabase.with { database in
            try withTemporaryDirectory { directory in
                let exporter = SQLiteExporter(
                    connection: database.connection,
                    destination: directory.appendingPathComponent("no/such/dir/application.db"), sourceDescription: "test")
                #expect { try exporter.run() } throws: { ($0 as? ExportError)?.isDestinationProblem == true }
            }
        }
    }

    @Test func staleTemporaryFileIsReplaced() throws {
        try ExportTestDatabase.with { database in
            try ExportFixture.load(into: database.connection)
            try withTemporaryDirectory { directory in
                let stale = directory.appendingPathComponent(".application.db.tmp-\(ProcessInfo.processInfo.processIdentifier)")
                try Data("left by a crash".utf8).write(to: stale)
                try export(database, to: directory)
                #expect(try directoryListing(directory) == ["application.db"])
            }
        }
    }

    @Test func asOfDefaultsToTheServersToday() throws {
        try ExportTestDatabase.with { database in
            try withTemporaryDirectory { directory in
                // The export reads current_date between these two readings: midnight may fall between.
                func today() throws -> String? { try database.connection.execute("select current_date::text").single()[0] }
                let before = try today()
                let summary = try export(database, to: directory, asOf: nil)
                let after = try today()
                #expect(summary.asOf == before || summary.asOf == after)
            }
        }
    }

    /// A load committing while the export runs is invisible to it: one snapshot for all tables.
    @Test func concurrentLoadIsNotHalfExported() throws {
        try ExportTestDatabase.with { database in
            try ExportFixture.load(into: database.connection)
            let writer = try database.connect()
            try withTemporaryDirectory { directory in
                let summary = try export(database, to: directory) { table, rows in
                    guard table == "dim_customers", rows == 1 else { return }
                    try writer.transaction {
                        try writer.execute("insert into warehouse.dim_customers values (50, 'Late Customer', 3)")
                        try writer.execute("""
                            insert into warehouse.fact_orders values (500, 50, 1, 20231210, '2023-12-10', 5.00, 1, 3, 3)
                            """)
                        try writer.executeScript(ExportFixture.summaries)
                    }
                }
                #expect(summary.rows(of: "dim_customers") == ExportFixture.customerNames.count)
                #expect(summary.rows(of: "fact_orders") == ExportFixture.orderCount)
                #expect(summary.rows(of: "total_orders_per_customer") == 8)
                #expect(try open(directory).rows(sql: "pragma foreign_key_check").isEmpty)
            }
        }
    }
}
