import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// A load's own settings (00_prepare.sql) hold for its transaction only.
@Suite(.blockingWork) struct LoadSettingsTests {
    /// Index builds get 32 MB for each process that sorts: the leader and its helpers.
    @Test(arguments: [0, 1, 3])
    func indexBuildsGet32MBPerSortingProcess(helpers: Int) throws {
        let database = try TestDatabase.fresh()
        defer { try? database.drop() }
        let connection = try database.connect()
        let before = try connection.execute("select current_setting('maintenance_work_mem') as m").single().string("m")
        let prepare = try #require(SQLFiles.transform(named: "00_prepare.sql"))
        try connection.transaction {
            try connection.execute("select set_config('max_parallel_maintenance_workers', \(String(helpers)), true)")
            try connection.executeScript(prepare)
            let setting = try connection.execute("select current_setting('maintenance_work_mem') as m").single().string("m")
            #expect(setting == "\(32 * (1 + helpers))MB")
        }
        #expect(try connection.execute("select current_setting('maintenance_work_mem') as m").single().string("m") == before)
    }
}
