import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// Decisions that need no server: paths, settings, programs.
@Suite(.blockingWork) struct EmbeddedClusterUnitTests {
    @Test func aShortHomeKeepsTheSocketInside() {
        let layout = ClusterLayout(home: URL(fileURLWithPath: "/srv/wh"), relocated: false)
        #expect(layout.root.path == "/srv/wh/pg")
        #expect(layout.dataDirectory.path == "/srv/wh/pg/data")
        #expect(layout.logFile.path == "/srv/wh/pg/server.log")
        #expect(layout.socketDirectory.path == "/srv/wh/pg/run")
        #expect(!layout.isRelocated)
    }

    @Test func aLongHomeMovesOnlyTheSocketToAShortFolder() {
        let long = "/srv/" + String(repeating: "very-long-folder-name/", count: 5) + "home"
        let layout = ClusterLayout(home: URL(fileURLWithPath: long), relocated: false)
        #expect(layout.dataDirectory.path == long + "/pg/data")
        #expect(layout.socketDirectory.path.hasPrefix("/tmp/warehouse-"))
        #expect(layout.socketFile.path.utf8.count <= ClusterLayout.maxSocketPathBytes)
        // The same home always maps to the same folder; another home to another.
        let again = ClusterLayout(home: URL(fileURLWithPath: long), relocated: false)
        let other = ClusterLayout(home: URL(fileURLWithPath: long + "2"), relocated: false)
        #expect(again.socketDirectory == layout.socketDirectory)
        #expect(other.socketDirectory != layout.socketDirectory)
    }

    @Test func aRelocatedClusterLivesInVarTmp() {
        let layout = ClusterLayout(home: URL(fileURLWithPath: "/root/project/.warehouse"), relocated: true)
        #expect(layout.root.path.hasPrefix("/var/tmp/warehouse-"))
        #expect(layout.socketDirectory.path == layout.root.path + "/run")
        #expect(layout.isRelocated)
    }

    @Test func pathsPgCtlCannotQuoteAreRefused() {
        let layout = ClusterLayout(home: URL(fileURLWithPath: "/tmp/we$ird \"home\""), relocated: false)
        #expect(throws: EmbeddedClusterError.self) { try layout.checkPathsAreSafe() }
        let fine = ClusterLayout(home: URL(fileURLWithPath: "/tmp/with space"), relocated: false)
        #expect(throws: Never.self) { try fine.checkPathsAreSafe() }
    }

    @Test func settingsKeepDurabilityAndTakeOverrides() {
        let home = URL(fileURLWithPath: "/srv/wh")
        let layout = ClusterLayout(home: home, relocated: false)
        let standard = EmbeddedCluster(home: home, environment: [:]).configuration(for: layout)
        #expect(standard.contains("fsync = 'on'"))
        #expect(standard.contains("shared_buffers = '1GB'"))
        #expect(standard.contains("wal_level = 'minimal'"))
        let helpers = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
        #expect(standard.contains("max_parallel_maintenance_workers = '\(helpers)'"))
        #expect(standard.contains("unix_socket_directories = '/srv/wh/pg/run'"))
        let tuned = EmbeddedCluster(home: home, environment: [:], settings: ["fsync": "off", "work_mem": "1GB"])
            .configuration(for: layout)
        #expect(tuned.contains("fsync = 'off'"))
        #expect(!tuned.contains("fsync = 'on'"))
        #expect(tuned.contains("work_mem = '1GB'"))
    }

    @Test func missingProgramsNameThePackageAndTheAlternative() {
        let error = #expect(throws: EmbeddedClusterError.self) {
            try PostgresBinaries.locate(environment: ["WAREHOUSE_PG_BINDIR": "/nonexistent/bin"])
        }
        #expect(error?.code == .binariesNotFound)
        #expect(PostgresBinaries.notFoundMessage.contains("apt-get install postgresql"))
        #expect(PostgresBinaries.notFoundMessage.contains("DATABASE_URL"))
    }

    @Test func theServerProgramsAreFound() throws {
        let binaries = try PostgresBinaries.locate(environment: ProcessInfo.processInfo.environment)
        #expect(FileManager.default.isExecutableFile(atPath: binaries.initdb.path))
        #expect(FileManager.default.isExecutableFile(atPath: binaries.pgCtl.path))
    }
}
