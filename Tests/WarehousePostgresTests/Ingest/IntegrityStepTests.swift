import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// The integrity step (30_integrity.sql) checks every dimension key a load wrote, landed as runs of
/// consecutive keys: a run is complete only when every key in it is a member.
@Suite(.blockingWork) struct IntegrityStepTests {
    @Test func keysAreLandedAsRunsOfConsecutiveKeys() {
        #expect(UsedKeys.runs(of: [Int64]()) == [])
        #expect(UsedKeys.runs(of: [5]) == [5...5])
        #expect(UsedKeys.runs(of: [1, 2, 3, 7, 9, 10]) == [1...3, 7...7, 9...10])
        #expect(UsedKeys.runs(of: [20231230, 20231231, 20240101]) == [20231230...20231231, 20240101...20240101])
    }

    @Test func aKeyMissingInsideARunFailsTheLoadWithItsCount() throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let loaded = try IngestFixtures.ingest(database, IngestFixtures.header
            + "Ann,1,10.00,2023-12-01,transfer,2\nBob,2,5.00,2023-12-02,lounge,1\nCy,3,1.00,2023-12-04,transfer,1\n")
        #expect(loaded.newCustomers == 3)
        let connection = try database.connect()
        let prepare = try #require(SQLFiles.transform(named: "00_prepare.sql"))
        let integrity = try #require(SQLFiles.transform(named: "30_integrity.sql"))
        func check(_ runs: [(String, Int, Int)]) throws {
            try connection.transaction {
                try connection.executeScript(prepare)
                for (dimension, first, last) in runs {
                    try connection.execute("insert into load_used_keys (dimension, first_key, last_key) values (\(dimension), \(first), \(last))")
                }
                try connection.executeScript(integrity)
            }
        }
        try check([("customer", 1, 3), ("product", 1, 2), ("date", 20231201, 20231202), ("date", 20231204, 20231204)])
        let error = try #require(throws: PostgresError.self) {
            // Customers 4 and 5 and the date 2023-12-03 are no members.
            try check([("customer", 2, 5), ("product", 1, 1), ("date", 20231201, 20231204)])
        }
        #expect(error.sqlState == "23503")
        #expect(error.description.contains("2 customer keys, 0 product keys, 1 date keys"))
    }
}
