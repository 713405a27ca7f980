import Foundation
import Logging
import Testing
@testable import WarehouseKit
import WarehouseFakeSupplier
import WarehouseTestSupport

/// A failed scheduled pull is retried with backoff (not a whole period later), and the
/// failures are recorded where `status` and the dashboard read them.
@Suite("Pull: scheduled retries with backoff", .blockingWork)
struct PullRetryTests {
    @Test func theRetryWaitDoublesAndStaysBelowThePeriod() {
        let day = Duration.seconds(86_400)
        let delays = (1...12).map { PullScheduler.retryDelay(failures: $0, firstRetry: .seconds(60), period: day) }
        #expect(delays.prefix(4) == [.seconds(60), .seconds(120), .seconds(240), .seconds(480)])
        #expect(delays.allSatisfy { $0 <= day / 2 })
        #expect(delays.last == day / 2)
        #expect(PullScheduler.retryDelay(failures: 4, firstRetry: .seconds(60), period: .seconds(600)) == .seconds(300))
    }

    /// The real thing: the fake supplier on 127.0.0.1 answers 500 three times, then behaves;
    /// the scheduler (period one hour) retries after 50, 100 and 200 ms and then succeeds.
    @Test func failedPullsAreRetriedWithBackoffUntilOneSucceeds() async throws {
        try await PullFixture.with { fixture in
            fixture.supplier.put([.init(id: 1, customer: "Ann", price: "1.00", date: "2023-12-01", updatedAt: "2023-12-01T08:00:00Z")])
            fixture.supplier.misbehave(.status(500), .status(500), .status(500))
            var options = fixture.options
            options.retry.maximumAttempts = 1
            let settings = DatabaseSettings(databaseURL: fixture.database.conninfo, home: fixture.home.path)
            let configuration = fixture.configuration
            typealias Event = (outcome: PullScheduler.Outcome, at: ContinuousClock.Instant, health: [PullHealthStore.Entry])
            let (events, continuation) = AsyncStream<Event>.makeStream()
            let firstRetry = Duration.milliseconds(50)
            let database = fixture.database
            // The health is read inside the observer, before the scheduler waits for its next try:
            // read after the event arrives, a busy machine could let the next (successful) try in first.
            let scheduler = PullScheduler(
                every: .seconds(3_600), firstRetry: firstRetry, logger: fixture.logger,
                observer: { outcome in
                    let health = (try? PullHealthStore(connection: database.connect()).entries()) ?? []
                    continuation.yield((outcome, ContinuousClock.now, health))
                },
                job: PullScheduler.pullJob(settings: settings, options: options, logger: fixture.logger, configuration: { configuration }))
            let loop = Task { await scheduler.run() }

            var outcomes: [(PullScheduler.Outcome, ContinuousClock.Instant)] = []
            for await event in events {
                outcomes.append((event.outcome, event.at))
                if case .succeeded = event.outcome { break }
                if outcomes.count == 3 {
                    // While failing: recorded, three in a row.
                    #expect(event.health.first?.consecutiveFailures == 3)
                    #expect(event.health.first?.lastError?.contains("500") == true, "\(event.health)")
                }
                if outcomes.count > 6 { break }
            }
            loop.cancel()
            await loop.value

            let kinds = outcomes.map { if case .failed = $0.0 { "failed" } else if case .succeeded = $0.0 { "succeeded" } else { "skipped" } }
            #expect(kinds == ["failed", "failed", "failed", "succeeded"])
            for index in 1..<outcomes.count {
                let gap = outcomes[index].1 - outcomes[index - 1].1
                #expect(gap >= firstRetry * (1 << (index - 1)), "wait before attempt \(index + 1): \(gap)")
            }
            let health = try PullHealthStore(connection: fixture.connection).entries()
            #expect(health.count == 1)
            #expect(health.first?.consecutiveFailures == 0)
            #expect(health.first?.lastFailureAt != nil && health.first?.lastSuccessAt != nil)
            let facts = try fixture.connection.execute("select count(*) as n from warehouse.fact_orders").single().int("n")
            #expect(facts == 1)
        }
    }
}
