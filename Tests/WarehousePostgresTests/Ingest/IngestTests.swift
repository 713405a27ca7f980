import Foundation
import Testing
import WarehouseKit
import WarehouseTestSupport

/// Loads against a real PostgreSQL: counts, idempotence, merges, repeats, refusals.
@Suite(.blockingWork) struct IngestTests {
    let header = IngestFixtures.header

    @Test func firstLoadThenSameContentIsANoOp() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let csv = header + "Ann Lee,1,10.00,2023-12-01,transfer,2\nBob Ray,2,5.50,2023-12-02,fast-track,1\nAnn Lee,3,7.25,2023-12-03,Lounge,3\n"
        let first = try IngestFixtures.ingest(database, csv)
        #expect(first.outcome == .loaded)
        #expect((first.rowsRead, first.inserted, first.updated, first.unchanged, first.rejected) == (3, 3, 0, 0, 0))
        #expect(first.newCustomers == 2 && first.newProducts == 3 && first.newDates == 3)

        let again = try IngestFixtures.ingest(database, csv)
        #expect(again.outcome == .alreadyLoaded)
        #expect(again.duplicateOfBatchID == first.batchID)
        #expect(again.text.contains("already loaded as batch \(first.batchID!)"))

        let forced = try IngestFixtures.ingest(database, csv) { $0.force = true }
        #expect(forced.outcome == .loaded)
        #expect((forced.inserted, forced.updated, forced.unchanged, forced.removed) == (0, 0, 3, 0))

        let connection = try database.connect()
        #expect(try IngestFixtures.facts(connection) == [
            "1|Ann Lee|transfer|2023-12-01|10.00|2", "2|Bob Ray|fast_track|2023-12-02|5.50|1", "3|Ann Lee|lounge|2023-12-03|7.25|3",
        ])
        let statuses = try connection.execute("select status from ops.load_batches order by batch_id").rows.map { try $0.string("status") }
        #expect(statuses == ["succeeded", "skipped", "succeeded"])
        try IngestFixtures.expectReportsConsistent(connection)
        let dates = try connection.execute("select month_name, day_name, is_weekend, iso_week, day_of_week from warehouse.dim_dates where date_key = 20231202").single()
        #expect(try dates.string("month_name") == "December")
        #expect(try dates.string("day_name") == "Saturday")
        #expect(try dates.bool("is_weekend"))
        #expect(try dates.int("day_of_week") == 6)
        #expect(try dates.int("iso_week") == 48)
    }

    @Test func aNewerSnapshotIsMergedAndCounted() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        var rows = (1...40).map { "Customer \($0 % 7),\($0),\($0).00,2023-11-\(10 + $0 % 15),transfer,1" }
        _ = try IngestFixtures.ingest(database, header + rows.joined(separator: "\n") + "\n")

        rows[0] = "Customer 99,1,1.00,2023-11-10,transfer,1"          // customer changes
        rows[1] = "Customer 2,2,2.00,2023-12-09,transfer,1"           // date changes
        rows[2] = "Customer 3,3,3.00,2023-11-13,parking,1"            // product changes
        rows[3] = "Customer 4,4,4.01,2023-11-14,transfer,1"           // price changes
        rows.remove(at: 39)                                            // order 40 disappears
        rows.append("Customer 1,41,41.00,2023-12-10,lounge,2")       // new order
        let summary = try IngestFixtures.ingest(database, header + rows.joined(separator: "\n") + "\n")
        #expect((summary.rowsRead, summary.inserted, summary.updated, summary.unchanged, summary.removed) == (40, 1, 4, 35, 1))

        let connection = try database.connect()
        let facts = try IngestFixtures.facts(connection)
        #expect(facts.count == 40, "a removed order is no longer a fact")
        let removed = try connection.execute("select order_id, removed_batch_id from warehouse.removed_orders").single()
        #expect(try removed.int("order_id") == 40, "it is kept in history")
        #expect(try removed.int("removed_batch_id") == summary.batchID!)
        #expect(facts.contains("1|Customer 99|transfer|2023-11-10|1.00|1"))
        #expect(facts.contains("2|Customer 2|transfer|2023-12-09|2.00|1"))
        #expect(facts.contains("3|Customer 3|parking|2023-11-13|3.00|1"))
        #expect(facts.contains("4|Customer 4|transfer|2023-11-14|4.01|1"))
        let updatedBy = try connection.execute("select count(*) as n from warehouse.fact_orders where updated_batch_id = \(summary.batchID!)").single().int("n")
        #expect(updatedBy == 5)
        try IngestFixtures.expectReportsConsistent(connection)
    }

    @Test func repeatsInOneFile() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let csv = header + """
            Ann,1,10.00,2023-12-01,transfer,2
            Bob,2,5.00,2023-12-01,transfer,1
            Ann,1,10.00,2023-12-01,transfer,2
            Cid,3,1.00,2023-12-01,transfer,1
            Dee,3,2.00,2023-12-01,transfer,1
            Eve,4,3.00,2023-12-01,transfer,1

            """
        let summary = try IngestFixtures.ingest(database, csv) { $0.maxRejects = .count(2) }
        #expect((summary.rowsRead, summary.inserted, summary.duplicates, summary.rejected) == (6, 3, 1, 2))
        let connection = try database.connect()
        #expect(try IngestFixtures.facts(connection).map { $0.split(separator: "|")[0] } == ["1", "2", "4"])
        let rejects = try connection.execute("select line_number, reason, raw_record from ops.rejected_rows order by line_number").rows
        #expect(try rejects.map { try $0.int("line_number") } == [5, 6])
        #expect(try rejects[0].string("reason") == "order_id 3 appears on lines 5, 6 with different values")
        #expect(try rejects[0].string("raw_record") == "Cid,3,1.00,2023-12-01,transfer,1")
        #expect(try rejects[1].string("raw_record") == "Dee,3,2.00,2023-12-01,transfer,1")
        // Cid and Dee only appeared on rejected rows: they are not customers.
        #expect(try IngestFixtures.count(connection, "warehouse.dim_customers") == 3)
        try IngestFixtures.expectReportsConsistent(connection)
    }

    @Test func repeatsAreSettledOnTheMergePathToo() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        _ = try IngestFixtures.ingest(database, header + "Ann,1,10.00,2023-12-01,transfer,2\n")
        let summary = try IngestFixtures.ingest(database, header + "Ann,1,10.00,2023-12-01,transfer,2\nAnn,1,10.00,2023-12-01,transfer,2\nBo,2,1.00,2023-12-02,parking,1\nCy,2,1.50,2023-12-02,parking,1\n") {
            $0.maxRejects = .count(2)
        }
        #expect((summary.inserted, summary.unchanged, summary.duplicates, summary.rejected) == (0, 1, 1, 2))
        let connection = try database.connect()
        #expect(try IngestFixtures.count(connection, "warehouse.fact_orders") == 1)
        try IngestFixtures.expectReportsConsistent(connection)
    }

    @Test func rejectedRowsAreStoredWithLineAndReason() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let lines = [
            "Ann,1,10.00,2023-12-01,transfer,2",
            ",2,5.00,2023-12-01,transfer,1",
            "\"Smith, John\",3,2023-02-30,2023-12-01,transfer,1",
            "Bob,4,1.00,2023-02-30,transfer,1",
            "Cy,5,1.00,2023-12-01,transfer,0",
            "\"Lee, \"\"Al\"\"\",6,-3,2023-12-01,transfer,1",
            "Di,x7,1.00,2023-12-01,transfer,1",
            "Ed,8,1.00,2023-12-01",
            "\"Multi\nLine\",9,1.00,2023-12-01T10:00:00Z, Fast Track ,1",
        ]
        let csv = header + lines.joined(separator: "\n") + "\n"
        let summary = try IngestFixtures.ingest(database, csv) { $0.maxRejects = .count(10) }
        #expect(summary.rowsRead == 9)
        #expect(summary.rejected == 7)
        #expect(summary.inserted == 2)
        let connection = try database.connect()
        let rejects = try connection.execute("select line_number, column_name, reason from ops.rejected_rows order by line_number").rows
        #expect(try rejects.map { try $0.int("line_number") } == [3, 4, 5, 6, 7, 8, 9])
        #expect(try rejects.map { try $0.optionalString("column_name") ?? "-" } == ["customer_name", "price", "order_date", "passenger_count", "price", "order_id", "-"])
        #expect(try IngestFixtures.facts(connection).last == "9|Multi Line|fast_track|2023-12-01|1.00|1")
    }

    @Test func tooManyRejectsLeavesTheWarehouseUntouched() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        _ = try IngestFixtures.ingest(database, header + "Ann,1,10.00,2023-12-01,transfer,2\n")
        let connection = try database.connect()
        let before = try IngestFixtures.facts(connection)
        let bad = header + "Ann,1,99.00,2023-12-01,transfer,2\nBob,2,x,2023-12-01,transfer,1\nCy,3,y,2023-12-01,transfer,1\nDi,4,4.00,2023-12-01,transfer,1\n"
        #expect {
            try IngestFixtures.ingest(database, bad) { $0.maxRejects = .count(1) }
        } throws: { error in
            String(describing: error).contains("more than --max-rejects 1") && String(describing: error).contains("line 3")
        }
        #expect(try IngestFixtures.facts(connection) == before)
        let failed = try connection.execute("select status, error from ops.load_batches order by batch_id desc limit 1").single()
        #expect(try failed.string("status") == "failed")
        #expect(try failed.string("error").contains("max-rejects"))
        // The default (5%) refuses a file where half the rows are bad, too.
        #expect(throws: IngestError.self) { try IngestFixtures.ingest(database, bad) }
        #expect(try IngestFixtures.facts(connection) == before)
    }

    @Test func aFailureJustBeforeCommitLeavesTheWarehouseUntouched() throws {
        struct Injected: Error {}
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        _ = try IngestFixtures.ingest(database, header + "Ann,1,10.00,2023-12-01,transfer,2\n")
        let connection = try database.connect()
        let before = try IngestFixtures.facts(connection)
        let totals = try connection.execute("select order_count from reporting.customer_order_totals").single().int("order_count")
        #expect(throws: Injected.self) {
            try IngestFixtures.ingest(database, header + "Ann,1,11.00,2023-12-01,transfer,2\nNew,2,1.00,2023-12-05,lounge,1\n") {
                $0.beforeCommit = { _ in throw Injected() }
            }
        }
        #expect(try IngestFixtures.facts(connection) == before)
        #expect(try IngestFixtures.count(connection, "warehouse.dim_customers") == 1)
        #expect(try connection.execute("select order_count from reporting.customer_order_totals").single().int("order_count") == totals)
        #expect(try connection.execute("select status from ops.load_batches order by batch_id desc limit 1").single().string("status") == "failed")
        // The next run succeeds.
        let retry = try IngestFixtures.ingest(database, header + "Ann,1,11.00,2023-12-01,transfer,2\nNew,2,1.00,2023-12-05,lounge,1\n")
        #expect((retry.inserted, retry.updated) == (1, 1))
    }

    @Test func aFailedFirstLoadRestoresTheIndexes() throws {
        struct Injected: Error {}
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        #expect(throws: Injected.self) {
            try IngestFixtures.ingest(database, header + "Ann,1,10.00,2023-12-01,transfer,2\n") { $0.beforeCommit = { _ in throw Injected() } }
        }
        let connection = try database.connect()
        let indexes = try connection.execute("select indexname from pg_indexes where schemaname = 'warehouse' and tablename = 'fact_orders' order by 1")
            .rows.map { try $0.string("indexname") }
        #expect(indexes == ["fact_orders_order_date_idx", "fact_orders_pkey"])
    }

    /// A first load drops indexes and constraints (and sets the batch ids' defaults) and restores
    /// them after its rows (05_bulk_prepare.sql, 12_bulk_dimension_indexes.sql, 25_bulk_finish.sql,
    /// 35_bulk_report_indexes.sql, 45_bulk_block_index.sql): they must come back as the migrations
    /// define them, with and without repeated order_ids.
    @Test(arguments: [false, true]) func aFirstLoadLeavesEveryIndexAsTheMigrationsMadeIt(withRepeats: Bool) throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let connection = try database.connect()
        let definitions = """
            select indexname || ': ' || indexdef as definition from pg_indexes
            where schemaname in ('warehouse', 'reporting', 'ops')
            union all
            select c.conrelid::regclass::text || ' ' || c.conname || ': ' || pg_get_constraintdef(c.oid)
            from pg_constraint as c join pg_namespace as n on n.oid = c.connamespace
            where n.nspname in ('warehouse', 'reporting', 'ops')
            union all
            select table_schema || '.' || table_name || '.' || column_name || ' default: ' || column_default
            from information_schema.columns
            where table_schema in ('warehouse', 'reporting', 'ops') and column_default is not null
            order by 1
            """
        let migrated = try connection.execute(SQL(unsafeRaw: definitions)).rows.map { try $0.string("definition") }
        #expect(migrated.contains { $0.hasPrefix("customer_order_totals_ranking_idx: ") })
        #expect(migrated.contains { $0.hasPrefix("customer_latest_order_recent_idx: ") })
        #expect(migrated.contains { $0.hasSuffix(" dim_customers_customer_name_key: UNIQUE (customer_name)") })
        let repeated = withRepeats ? "Ann,1,10.00,2023-12-01,transfer,2\n" : ""
        let first = try IngestFixtures.ingest(database, header + "Ann,1,10.00,2023-12-01,transfer,2\nBob,2,5.00,2023-12-02,lounge,1\n" + repeated)
        #expect(first.outcome == .loaded)
        #expect(first.duplicates == (withRepeats ? 1 : 0))
        #expect(try connection.execute(SQL(unsafeRaw: definitions)).rows.map { try $0.string("definition") } == migrated)
        // The bulk COPY leaves the batch ids to defaults set for the load only.
        let batches = try connection.execute("select distinct inserted_batch_id, updated_batch_id from warehouse.fact_orders").rows
            .map { [try $0.int("inserted_batch_id"), try $0.int("updated_batch_id")] }
        #expect(first.batchID != nil && batches == [[first.batchID!, first.batchID!]])
        try IngestFixtures.expectReportsConsistent(connection)
    }

    @Test func shrinkGuardAndIncrementalLoads() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let rows = (1...100).map { "C\($0 % 9),\($0),1.00,2023-12-01,transfer,1" }
        _ = try IngestFixtures.ingest(database, header + rows.joined(separator: "\n") + "\n")
        let truncated = header + rows.prefix(90).joined(separator: "\n") + "\n"
        #expect {
            try IngestFixtures.ingest(database, truncated)
        } throws: { error in
            String(describing: error).contains("lacks 10 of the 100 known orders")
        }
        let connection = try database.connect()
        #expect(try IngestFixtures.count(connection, "warehouse.fact_orders") == 100)
        let allowed = try IngestFixtures.ingest(database, truncated) { $0.allowShrink = true }
        #expect(allowed.removed == 10)

        let incremental = try IngestFixtures.ingest(database, header + "C1,5,9.99,2023-12-02,transfer,1\nC2,101,1.00,2023-12-02,lounge,1\n") {
            $0.incremental = true
        }
        #expect((incremental.inserted, incremental.updated, incremental.removed) == (1, 1, nil))
        #expect(try IngestFixtures.count(connection, "warehouse.fact_orders") == 91, "90 kept after 10 removed, 1 new; an incremental file removes nothing")
        try IngestFixtures.expectReportsConsistent(connection)
    }

    @Test func badFilesAreRefusedBeforeAnythingLoads() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let cases: [(String, String)] = [
            ("", "the input is empty"),
            (header, "has a header but no rows"),
            ("customer_name,order_id,price,order_date,product_id\nAnn,1,1.00,2023-12-01,transfer\n", "missing required column(s) passenger_count"),
            (header + "x,notanumber,1,2023-12-01,transfer,1\n", "none of the 1 rows is valid"),
        ]
        for (text, message) in cases {
            #expect(performing: { try IngestFixtures.ingest(database, text) { $0.maxRejects = .percent(100) } },
                    throws: { String(describing: $0).contains(message) })
        }
        let connection = try database.connect()
        #expect(try IngestFixtures.count(connection, "warehouse.fact_orders") == 0)
    }

    @Test func extraColumnsAreIgnoredWithAWarning() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let summary = try IngestFixtures.ingest(database, "note,PASSENGER_COUNT,product_id,order_date,price,order_id,customer_name\nhi,2,parking,2023-12-01,3.00,7,Ann\n")
        #expect(summary.inserted == 1)
        #expect(summary.warnings == ["ignored extra column(s): note"])
    }

    @Test func gzipInputLoadsLikePlain() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let plain = try IngestFixtures.file(header + "Ann,1,10.00,2023-12-01,transfer,2\n")
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", plain.path]
        try gzip.run()
        gzip.waitUntilExit()
        let connection = try database.connect()
        let summary = try Ingestor(connection: connection).ingest(path: plain.path + ".gz")
        #expect(summary.inserted == 1)
        // Same decompressed content as the plain file: already loaded.
        #expect(try Ingestor(connection: connection).ingest(path: plain.path).outcome == .alreadyLoaded)
    }

    @Test func checkWritesNothing() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        var options = IngestOptions()
        options.dryRun = true
        options.maxRejects = .count(1)
        let connection = try database.connect()
        let summary = try Ingestor(connection: connection, options: options)
            .ingest(path: try IngestFixtures.file(header + "Ann,1,10.00,2023-12-01,transfer,2\nBob,2,bad,2023-12-01,transfer,1\n").path)
        #expect(summary.outcome == .checked)
        #expect((summary.inserted, summary.rejected) == (1, 1))
        #expect(try IngestFixtures.count(connection, "warehouse.fact_orders") == 0)
        #expect(try IngestFixtures.count(connection, "ops.load_batches") == 0)
        #expect(try IngestFixtures.count(connection, "warehouse.dim_customers") == 0)
    }

    @Test func aSecondLoadWaitsForTheFirst() async throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let holder = try database.connect()
        try holder.execute("select pg_advisory_lock(\(Int64(0x5748_4C4F_4144)))")
        let path = try IngestFixtures.file(header + "Ann,1,10.00,2023-12-01,transfer,2\n").path
        let conninfo = database.conninfo
        let load = Task { try await TestThreads.run { try Ingestor(connection: try PostgresConnection(conninfo: conninfo)).ingest(path: path) } }
        // The load is seen waiting for the lock, on the server: the wait is the load's, observed.
        let waiting: SQL = """
            select count(*) as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'advisory' and not l.granted and a.datname = \(database.name)
            """
        while try holder.execute(waiting).single().int("n") == 0 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(try IngestFixtures.count(holder, "warehouse.fact_orders") == 0, "the load must wait for the lock")
        try holder.execute("select pg_advisory_unlock(\(Int64(0x5748_4C4F_4144)))")
        let summary = try await load.value
        #expect(summary.inserted == 1)
    }
}
