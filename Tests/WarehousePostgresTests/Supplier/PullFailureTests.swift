import Foundation
import Testing
@testable import WarehouseKit
import WarehouseFakeSupplier
import WarehouseTestSupport

/// Every failure leaves the warehouse and the mark as they were, and a failed batch with its error.
@Suite("Pull: failures load nothing", .blockingWork)
struct PullFailureTests {
    /// Loads 5 orders first, so each failure can be shown to change nothing that was there.
    private func withLoadedFixture(_ body: (PullFixture, String) async throws -> Void) async throws {
        try await PullFixture.with { f in
            f.supplier.put(PullFixture.orders(1...5))
            _ = try await f.pull()
            f.supplier.put(PullFixture.orders(6...30, updatedFrom: "2023-12-02T08:00:00Z"))
            try await body(f, try #require(try f.mark))
        }
    }

    private func shortTimeouts(_ options: inout PullOptions) {
        options.timeouts = .init(connect: .milliseconds(200), read: .milliseconds(300))
        options.retry.maximumAttempts = 2
    }

    private func expectNothingLoaded(_ f: PullFixture, mark: String, error: String) throws {
        #expect(try f.count("warehouse.fact_orders") == 5)
        #expect(try f.mark == mark)
        let batches = try f.batches()
        #expect(batches.map(\.status) == ["succeeded", "failed"])
        #expect(batches.last?.error?.contains(error) == true, "\(batches.last?.error ?? "no error")")
        #expect(batches.last?.kind == "api")
        let recorded = batches.last?.error ?? ""
        #expect(!recorded.contains(f.supplier.token))
    }

    @Test func a429WithRetryAfterIsWaitedOut() async throws {
        try await PullFixture.with { f in
            f.supplier.put(PullFixture.orders(1...3))
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            f.supplier.misbehave(.status(429, headers: ["Retry-After": "2"], body: #"{"error": "slow down"}"#),
                                 .status(503, headers: ["Retry-After": formatter.string(from: Date().addingTimeInterval(200))]))
            let summary = try await f.pull()

            #expect(summary.load?.inserted == 3)
            #expect(f.supplier.requests.count == 3)
            let waits = f.sleeps.all
            #expect(waits.count == 2)
            #expect(waits.first == .seconds(2))
            // Sleeps are recorded, not slept; the margin absorbs a slow, loaded machine.
            #expect(waits.last.map { $0 > .seconds(100) && $0 <= .seconds(200) } == true, "an HTTP date 200 s ahead: \(waits)")
            #expect(f.logs.all.contains { $0.contains("HTTP 429") && $0.contains("slow down") && $0.contains("retrying in 2.00 s") })
        }
    }

    @Test func twoServerErrorsThenSuccess() async throws {
        try await PullFixture.with { f in
            f.supplier.put(PullFixture.orders(1...3))
            f.supplier.misbehave(.status(500), .status(502))
            let summary = try await f.pull()

            #expect(summary.load?.inserted == 3)
            #expect(f.supplier.requests.count == 3)
            // Exponential with equal jitter (random fixed at 0.5): 10 ms → 7.5 ms, 20 ms → 15 ms.
            #expect(f.sleeps.all == [.microseconds(7500), .milliseconds(15)])
            #expect(try f.batches().map(\.status) == ["succeeded"])
        }
    }

    @Test func aHangPastTheReadTimeoutFailsCleanly() async throws {
        try await withLoadedFixture { f, mark in
            f.supplier.misbehave(.hang(.seconds(20)), .hang(.seconds(20)))
            let started = ContinuousClock.now
            let error = await #expect(throws: SupplierError.self) { _ = try await f.pull(shortTimeouts) }
            #expect(ContinuousClock.now - started < .seconds(10), "gave up long before the server would answer")
            #expect(error?.code == .timeout)
            #expect(error?.attempts == 2)
            try expectNothingLoaded(f, mark: mark, error: "no response within 0.50 s")
        }
    }

    /// A server that sends a byte now and then is never silent for a read timeout: the
    /// request deadline bounds the whole request however slowly the bytes come.
    @Test func aSlowDripIsCutOffByTheRequestDeadline() async throws {
        try await withLoadedFixture { f, mark in
            f.supplier.misbehave(.drip(every: .milliseconds(20)), .drip(every: .milliseconds(20)))
            let started = ContinuousClock.now
            let error = await #expect(throws: SupplierError.self) {
                _ = try await f.pull {
                    $0.timeouts = .init(connect: .seconds(5), read: .seconds(5), deadline: .milliseconds(800))
                    $0.retry.maximumAttempts = 2
                }
            }
            // The page (about 2.5 kB, 50 s at this pace) would have come whole without the deadline.
            #expect(ContinuousClock.now - started < .seconds(15), "two attempts of 0.8 s, with room for a busy machine")
            #expect(error?.code == .timeout)
            #expect(error?.attempts == 2)
            try expectNothingLoaded(f, mark: mark, error: "no complete response within the request deadline of 0.80 s")
        }
    }

    @Test func aTruncatedBodyFailsCleanly() async throws {
        try await withLoadedFixture { f, mark in
            f.supplier.misbehave(.normal, .truncatedJSON)
            let error = await #expect(throws: SupplierError.self) { _ = try await f.pull() }
            #expect(error?.code == .malformedResponse)
            #expect(error?.attempts == 1)
            try expectNothingLoaded(f, mark: mark, error: "page 2: the JSON ends early")
            // The evidence stays; no replayable CSV for a pull that did not complete.
            let folder = try #require(FileManager.default.contentsOfDirectory(atPath: f.home.appendingPathComponent("landing").path).first)
            let files = try FileManager.default.contentsOfDirectory(atPath: f.home.appendingPathComponent("landing/\(folder)").path)
            #expect(files.filter { $0.hasSuffix("-page-002.json") }.count == 1)
            #expect(files.filter { $0.hasSuffix(".csv") || $0.hasSuffix(".partial") }.count == 1, "only the first pull's CSV: \(files)")
        }
    }

    @Test func aBodyShorterThanItsContentLengthFailsCleanly() async throws {
        try await withLoadedFixture { f, mark in
            f.supplier.misbehave(.shortBody, .shortBody)
            let error = await #expect(throws: SupplierError.self) {
                _ = try await f.pull {
                    // Headers may come late on a busy machine; it is the stall after them that is tested.
                    $0.timeouts = .init(connect: .seconds(3), read: .milliseconds(300))
                    $0.retry.maximumAttempts = 2
                }
            }
            #expect(error?.code == .timeout)
            try expectNothingLoaded(f, mark: mark, error: "stalled")
        }
    }

    @Test func a401FailsAtOnceWithTheServersMessage() async throws {
        try await withLoadedFixture { f, mark in
            let wrong = SupplierConfiguration(baseURL: f.supplier.baseURL, token: SupplierToken("wrong-token-1234"))
            let error = await #expect(throws: SupplierError.self) { _ = try await f.pull(configuration: wrong) }
            #expect(error?.status == 401)
            #expect(error?.attempts == 1)
            #expect(f.sleeps.all.isEmpty)
            #expect(error?.description.contains("invalid or expired token") == true)
            #expect(error?.description.contains("wrong-token-1234") == false)
            try expectNothingLoaded(f, mark: mark, error: "HTTP 401")
        }
    }

    @Test func theTokenIsRedactedEvenWhenTheServerEchoesIt() async throws {
        try await withLoadedFixture { f, mark in
            f.supplier.misbehave(.status(403, body: #"{"message": "token \#(f.supplier.token) was revoked"}"#))
            let error = await #expect(throws: SupplierError.self) { _ = try await f.pull() }
            #expect(error?.description.contains("token **** was revoked") == true, "\(error?.description ?? "")")
            #expect(error?.description.contains(f.supplier.token) == false)
            #expect(!f.logs.all.joined().contains(f.supplier.token))
            try expectNothingLoaded(f, mark: mark, error: "HTTP 403")
        }
    }

    /// Exact masking cannot catch a token the server transforms before echoing it: only a
    /// short excerpt of an error body is kept, long token-like runs and control characters out.
    @Test func aTransformedTokenInAnErrorBodyIsNeitherPrintedNorStored() async throws {
        try await PullFixture.with(token: "Tok3n-ABCdef-0123456789-XYZ") { f in
            f.supplier.put(PullFixture.orders(1...5))
            _ = try await f.pull()
            let mark = try #require(try f.mark)
            let token = f.supplier.token
            let lowered = token.lowercased(), reversed = String(token.reversed())
            let padding = String(repeating: "so much to say ", count: 20)
            f.supplier.misbehave(
                .status(500, body: #"{"error": "token \#(lowered) (reversed: \#(reversed)) is not \#(token)"}"#),
                .status(500, body: "echo \(lowered)\n\u{1B}[31mred\u{7} \(reversed) \(padding) TAIL-MARKER"))
            let error = await #expect(throws: SupplierError.self) { _ = try await f.pull { $0.retry.maximumAttempts = 2 } }
            let printed = error?.description ?? ""
            let logged = f.logs.all.joined(separator: "\n")
            let stored = try f.batches().last?.error ?? ""
            for text in [printed, logged, stored] {
                for secret in [token, lowered, reversed] { #expect(!text.contains(secret), "\(text)") }
                #expect(!text.contains("\u{1B}") && !text.contains("\u{7}"), "control characters are escaped: \(text)")
                #expect(!text.contains("TAIL-MARKER"), "at most 200 characters of the body: \(text)")
            }
            #expect(logged.contains("HTTP 500") && logged.contains("token [redacted] (reversed: [redacted]) is not ****"), "\(logged)")
            #expect(printed.contains(#"echo [redacted] \u{1B}[31mred\u{07} [redacted] so much to say"#), "\(printed)")
            #expect(stored.contains(printed))
            try expectNothingLoaded(f, mark: mark, error: "HTTP 500")
        }
    }

    @Test func aRedirectIsNotFollowedWithTheToken() async throws {
        try await withLoadedFixture { f, mark in
            f.supplier.misbehave(.status(301, headers: ["Location": "https://elsewhere.example/orders"]))
            let error = await #expect(throws: SupplierError.self) { _ = try await f.pull() }
            #expect(error?.status == 301)
            #expect(f.supplier.requests.count == 2, "one pull before, one request now: no retry, no redirect")
            try expectNothingLoaded(f, mark: mark, error: "redirect to https://elsewhere.example/orders not followed")
        }
    }

    @Test func oneFailingPageMeansNoPageIsLoaded() async throws {
        try await withLoadedFixture { f, mark in
            f.supplier.misbehave(.normal, .normal, .status(500), .status(500))
            let error = await #expect(throws: SupplierError.self) { _ = try await f.pull { $0.retry.maximumAttempts = 2 } }
            #expect(error?.status == 500)
            #expect(f.supplier.requests.count == 1 + 4)
            try expectNothingLoaded(f, mark: mark, error: "HTTP 500")
        }
    }

    @Test func aMissingFieldFailsThePull() async throws {
        try await withLoadedFixture { f, mark in
            f.supplier.misbehave(.body(#"{"orders": [{"order_id": 40, "customer_name": "X", "order_date": "2023-12-01", "#
                + #""product_id": "lounge", "passenger_count": 1, "updated_at": "2023-12-03T00:00:00Z"}], "next_cursor": null}"#))
            let error = await #expect(throws: SupplierError.self) { _ = try await f.pull() }
            #expect(error?.code == .contract)
            try expectNothingLoaded(f, mark: mark, error: "missing field \"price\"")
        }
    }

    @Test func theMarkMovesOnlyWithTheCommit() async throws {
        struct InjectedFailure: Error {}
        try await withLoadedFixture { f, mark in
            await #expect(throws: InjectedFailure.self) { _ = try await f.pull { $0.beforeCommit = { throw InjectedFailure() } } }
            // The mark was written inside the load's transaction, then rolled back with it.
            try expectNothingLoaded(f, mark: mark, error: "InjectedFailure")
        }
    }
}
