import ArgumentParser
import Testing
@testable import warehouse
import WarehouseTestSupport

/// `warehouse serve` at the parse level: the loopback rule and option checks happen before any
/// database or socket is touched.
@Suite("Serve: command-line parsing", .blockingWork)
struct ServeCommandParseTests {
    func refusal(_ arguments: [String]) -> String? {
        do {
            _ = try Warehouse.parseAsRoot(["serve"] + arguments)
            return nil
        } catch {
            return Warehouse.message(for: error)
        }
    }

    @Test("defaults: loopback, port 8080, 36 hours")
    func defaults() throws {
        let command = try #require(try Warehouse.parseAsRoot(["serve"]) as? Warehouse.Serve)
        #expect(command.host == "127.0.0.1" && command.port == 8080 && command.staleAfter == "36h")
        #expect(command.connections == 4 && !command.insecureNoToken && !command.noCache)
    }

    @Test("a non-loopback host needs --token or --insecure-no-token")
    func loopbackRule() {
        #expect(refusal(["--host", "0.0.0.0"])?.contains("--insecure-no-token") == true)
        #expect(refusal(["--host", "0.0.0.0", "--token", "s3cret"]) == nil)
        #expect(refusal(["--host", "0.0.0.0", "--insecure-no-token"]) == nil)
        #expect(refusal(["--host", "::1"]) == nil)
    }

    @Test("bad options are refused with the option's name")
    func refusals() {
        #expect(refusal(["--stale-after", "soon"])?.contains("--stale-after") == true)
        #expect(refusal(["--port", "70000"])?.contains("--port") == true)
        #expect(refusal(["--host", "dashboard.example.com"])?.contains("--host") == true)
        #expect(refusal(["--connections", "0"])?.contains("--connections") == true)
    }

    @Test("--pull-every takes a period and adds the scheduled pull beside the dashboard")
    func pullEvery() throws {
        #expect(refusal(["--pull-every", "often"])?.contains("--pull-every") == true)
        let plain = try #require(try Warehouse.parseAsRoot(["serve"]) as? Warehouse.Serve)
        #expect(plain.backgroundJobs().isEmpty)
        let scheduled = try #require(try Warehouse.parseAsRoot(["serve", "--pull-every", "24h"]) as? Warehouse.Serve)
        #expect(scheduled.backgroundJobs().map(\.name) == ["supplier pull every 24h"])
    }
}
