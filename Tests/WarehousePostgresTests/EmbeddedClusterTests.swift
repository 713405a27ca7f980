import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

/// Real clusters in temporary homes (not the suite's shared server), each stopped at the end.
/// Serialized: each one is an initdb and a server, and the machine may have only two cores.
@Suite(.serialized, .blockingWork) struct EmbeddedClusterTests {
    /// A cluster in a fresh temporary home; `body` runs, then the cluster is stopped and removed.
    private func withCluster(
        home: URL? = nil, _ body: (EmbeddedCluster) throws -> Void
    ) throws {
        let home = try home ?? TestSupport.temporaryDirectory("wh-cluster")
        let cluster = EmbeddedCluster(home: home, settings: ["fsync": "off"])
        defer {
            _ = try? cluster.stop()
            if let layout = cluster.initializedLayout(), layout.isRelocated {
                try? FileManager.default.removeItem(at: layout.root)
            }
            try? FileManager.default.removeItem(at: home)
        }
        try body(cluster)
    }

    @Test func startReuseStopRestart() throws {
        try withCluster { cluster in
            #expect(try cluster.status().isInitialized == false)

            let first = try cluster.startIfNeeded()
            #expect(first.wasInitialized && first.wasStarted)
            let connection = try PostgresConnection(conninfo: first.conninfo)
            let row = try connection.execute("select current_user as who, current_database() as db, current_setting('fsync') as fsync, current_setting('listen_addresses') as listen").single()
            #expect(try row.string("who") == "warehouse")
            #expect(try row.string("db") == "warehouse")
            #expect(try row.string("listen") == "")
            try connection.executeScript("create table kept (id int); insert into kept values (1)")

            // Reused, not restarted: the same server process answers (no timing asserted).
            let pidBefore = try cluster.status().pid
            let second = try cluster.startIfNeeded()
            #expect(second.wasStarted == false && second.wasInitialized == false)
            #expect(try cluster.status().pid == pidBefore)
            #expect(second.url == first.url)

            let running = try cluster.status()
            #expect(running.isRunning && running.isAcceptingConnections)
            #expect(running.pid != nil)
            #expect(running.summary.first?.hasPrefix("Embedded cluster: running") == true)

            #expect(try cluster.stop())
            #expect(try cluster.stop() == false)
            let stopped = try cluster.status()
            #expect(!stopped.isRunning && stopped.isInitialized)
            #expect(throws: PostgresError.self) { try PostgresConnection(conninfo: first.conninfo) }

            let again = try cluster.startIfNeeded()
            #expect(again.wasStarted && !again.wasInitialized)
            let count = try PostgresConnection(conninfo: again.conninfo).execute("select count(*) as n from kept").single()
            #expect(try count.int("n") == 1)
        }
    }

    @Test func filesBelongToTheServerAccountAndStayPrivate() throws {
        try withCluster { cluster in
            let running = try cluster.startIfNeeded()
            let layout = running.layout
            let data = try FileManager.default.attributesOfItem(atPath: layout.dataDirectory.path)
            let socket = try FileManager.default.attributesOfItem(atPath: layout.socketDirectory.path)
            #expect((socket[.posixPermissions] as? Int) == 0o700)
            #expect((data[.posixPermissions] as? Int) == 0o700)
            let owner = (data[.ownerAccountID] as? NSNumber)?.uint32Value
            if geteuid() == 0 {
                // PostgreSQL refuses root: the data belongs to the unprivileged account.
                #expect(owner != 0)
                #expect(try cluster.status().runsAsOtherUser)
                let expected = ProcessInfo.processInfo.environment["WAREHOUSE_PG_USER"] ?? "postgres"
                #expect(try cluster.status().serverUser == expected || ServerAccount.lookup(name: "postgres") == nil)
            } else {
                #expect(owner == geteuid())
            }
            let config = try String(contentsOf: layout.dataDirectory.appendingPathComponent("warehouse.conf"), encoding: .utf8)
            #expect(config.contains("unix_socket_permissions = 0700"))
            #expect(config.contains("listen_addresses = ''"))
        }
    }

    @Test func aStalePIDFileAndACrashAreRecoveredFrom() throws {
        try withCluster { cluster in
            let running = try cluster.startIfNeeded()
            let pidFile = running.layout.dataDirectory.appendingPathComponent("postmaster.pid")
            let serverPID = try #require(ServerControl.recordedPID(running.layout))

            // A crash: the postmaster dies without cleaning up.
            kill(serverPID, SIGKILL)
            var waited = 0
            while kill(serverPID, 0) == 0, waited < 100 {
                Thread.sleep(forTimeInterval: 0.05)
                waited += 1
            }
            let recovered = try cluster.startIfNeeded()
            #expect(recovered.wasStarted)
            _ = try PostgresConnection(conninfo: recovered.conninfo)

            // After a reboot the recorded PID may belong to an unrelated live process (here, us).
            #expect(try cluster.stop())
            let contents = "\(getpid())\n\(running.layout.dataDirectory.path)\n"
            try Data(contents.utf8).write(to: pidFile)
            #expect(try cluster.status().isRunning == false)
            let restarted = try cluster.startIfNeeded()
            #expect(restarted.wasStarted)
            _ = try PostgresConnection(conninfo: restarted.conninfo)
        }
    }

    @Test func concurrentStartsInitializeOnce() throws {
        try withCluster { cluster in
            let results = Locked<[Result<EmbeddedCluster.Running, any Error>]>([])
            DispatchQueue.concurrentPerform(iterations: 3) { _ in
                let result = Result { try cluster.startIfNeeded() }
                results.withLock { $0.append(result) }
            }
            let runs = try results.withLock { $0 }.map { try $0.get() }
            #expect(runs.count == 3)
            #expect(runs.filter(\.wasInitialized).count == 1)
            #expect(runs.filter(\.wasStarted).count == 1)
        }
    }

    @Test(.enabled(if: geteuid() == 0, "only root needs to relocate the cluster"))
    func aHomeTheServerAccountCannotEnterIsRelocated() throws {
        let privateParent = try TestSupport.temporaryDirectory("wh-private")
        defer { try? FileManager.default.removeItem(at: privateParent) }
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: privateParent.path)
        let home = privateParent.appendingPathComponent("home", isDirectory: true)
        try withCluster(home: home) { cluster in
            let running = try cluster.startIfNeeded()
            #expect(running.layout.isRelocated)
            #expect(running.layout.root.path.hasPrefix("/var/tmp/warehouse-"))
            _ = try PostgresConnection(conninfo: running.conninfo)
            let status = try cluster.status()
            #expect(status.summary.contains { $0.contains("relocated outside the home folder") })
            #expect(try cluster.stop())
            // Found again on the next start, though the home still cannot be entered.
            #expect(try cluster.startIfNeeded().layout == running.layout)
        }
    }
}
