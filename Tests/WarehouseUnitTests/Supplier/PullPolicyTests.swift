import Foundation
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

@Suite("Pull: retry policy, schedule periods, settings", .blockingWork)
struct PullPolicyTests {
    @Test func backoffGrowsWithJitterAndIsCapped() {
        var policy = RetryPolicy()
        policy.initialDelay = .seconds(1)
        policy.maximumDelay = .seconds(5)
        policy.maximumAttempts = 6
        policy.random = { 0 }
        #expect(policy.delay(afterAttempt: 1, retryAfter: nil) == .milliseconds(500))
        #expect(policy.delay(afterAttempt: 2, retryAfter: nil) == .seconds(1))
        #expect(policy.delay(afterAttempt: 5, retryAfter: nil) == .milliseconds(2500))
        policy.random = { 0.999999 }
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil)! > .milliseconds(3999))
        #expect(policy.delay(afterAttempt: 6, retryAfter: nil) == nil)
    }

    @Test func retryAfterInSecondsOrAsAnHTTPDate() {
        var policy = RetryPolicy()
        let now = Date(timeIntervalSince1970: 1_702_173_600)  // Sun, 10 Dec 2023 02:00:00 GMT
        policy.now = { now }
        #expect(policy.delay(afterAttempt: 1, retryAfter: "7") == .seconds(7))
        #expect(policy.delay(afterAttempt: 1, retryAfter: "Sun, 10 Dec 2023 02:00:42 GMT") == .seconds(42))
        #expect(policy.delay(afterAttempt: 1, retryAfter: "Sat, 09 Dec 2023 02:00:00 GMT") == .zero)
        #expect(policy.delay(afterAttempt: 1, retryAfter: "3600") == nil, "longer than maximumRetryAfter: give up")
        policy.random = { 0 }
        #expect(policy.delay(afterAttempt: 1, retryAfter: "soon") == .milliseconds(250), "unreadable: the backoff applies")
    }

    @Test(arguments: [("30m", 1800), ("24h", 86_400), ("90s", 90), ("1d", 86_400), ("1h30m", 5400), ("2H 15M", 8100)])
    func periodsParse(text: String, seconds: Int) {
        #expect(PullInterval(text)?.seconds == seconds)
    }

    @Test(arguments: ["", "30", "0s", "m", "30x", "1m1h", "1h1h", "-5m", "99999999999999999999d"])
    func badPeriodsAreRefused(text: String) {
        #expect(PullInterval(text) == nil)
    }

    @Test func periodsPrintCanonically() {
        #expect(PullInterval(seconds: 5400).description == "1h30m")
        #expect(PullInterval(seconds: 86_401).description == "1d1s")
    }

    @Test func settingsComeFromFlagsThenEnvironmentThenFile() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("pull-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try "file-token\n".write(to: home.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        try #"{"url": "https://file.example/api", "token_file": "token", "colour": "blue"}"#
            .write(to: home.appendingPathComponent("supplier.json"), atomically: true, encoding: .utf8)

        let fromFile = try SupplierConfiguration.resolve(url: nil, csvURL: nil, tokenFile: nil, home: home, environment: [:])
        #expect(fromFile.baseURL?.absoluteString == "https://file.example/api")
        #expect(fromFile.token?.authorization == "Bearer file-token")
        #expect(fromFile.warnings.contains { $0.contains("unknown setting \"colour\"") })

        let environment = ["WAREHOUSE_SUPPLIER_URL": "https://env.example", "WAREHOUSE_SUPPLIER_TOKEN": "env-token"]
        let fromEnvironment = try SupplierConfiguration.resolve(url: nil, csvURL: nil, tokenFile: nil, home: home, environment: environment)
        #expect(fromEnvironment.baseURL?.host == "env.example")
        #expect(fromEnvironment.token?.authorization == "Bearer env-token")

        let fromFlags = try SupplierConfiguration.resolve(url: "http://flag.example", csvURL: nil,
                                                          tokenFile: home.appendingPathComponent("token").path, home: home, environment: environment)
        #expect(fromFlags.baseURL?.host == "flag.example")
        #expect(fromFlags.token?.authorization == "Bearer file-token")
    }

    @Test func missingSettingsSayWhereToPutThem() throws {
        let home = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)")
        let noURL = #expect(throws: SupplierError.self) {
            try SupplierConfiguration.resolve(url: nil, csvURL: nil, tokenFile: nil, home: home, environment: [:])
        }
        #expect(noURL?.description.contains("WAREHOUSE_SUPPLIER_URL") == true)
        let noToken = #expect(throws: SupplierError.self) {
            try SupplierConfiguration.resolve(url: "https://x.example", csvURL: nil, tokenFile: nil, home: home, environment: [:])
        }
        #expect(noToken?.description.contains("--token-file") == true)
        #expect(throws: SupplierError.self) {
            try SupplierConfiguration.resolve(url: "ftp://x.example", csvURL: nil, tokenFile: nil, home: home, environment: ["WAREHOUSE_SUPPLIER_TOKEN": "t"])
        }
        // A CSV download needs no token.
        let csv = try SupplierConfiguration.resolve(url: nil, csvURL: "https://x.example/all.csv", tokenFile: nil, home: home, environment: [:])
        #expect(csv.csvURL != nil && csv.token == nil)
    }

    @Test func theTokenNeverPrints() throws {
        let token = try #require(SupplierToken("  s3cret-value \n"))
        #expect("\(token)" == "****")
        #expect(String(reflecting: token) == "SupplierToken(****)")
        var dumped = ""
        dump(token, to: &dumped)
        #expect(!dumped.contains("s3cret"))
        #expect(token.redact("echo: Bearer s3cret-value") == "echo: Bearer ****")
        #expect(SupplierToken(" \n") == nil)
    }

    @Test func shownURLsHideCredentials() {
        let url = URL(string: "https://user:pw@s.example/all.csv?X-Amz-Signature=abc123&X-Amz-Credential=AKIA&day=2023-12-10&access_token=t0k")!
        #expect(SupplierConfiguration.display(url) == "https://s.example/all.csv?X-Amz-Signature=****&X-Amz-Credential=****&day=2023-12-10&access_token=****")
    }

    @Test func ordersURLEscapesTheCursor() {
        let url = SupplierClient.ordersURL(base: URL(string: "https://s.example/api/v1/")!,
                                           updatedSince: SupplierTimestamp(iso8601: "2023-12-10T02:00:00Z"), cursor: "a+b/c=", limit: 500)
        #expect(url.absoluteString == "https://s.example/api/v1/orders?updated_since=2023-12-10T02%3A00%3A00.000000Z&cursor=a%2Bb%2Fc%3D&limit=500")
    }
}
