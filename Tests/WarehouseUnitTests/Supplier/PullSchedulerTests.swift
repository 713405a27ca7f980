import Foundation
import Logging
import Testing
@testable import WarehouseKit
import WarehouseTestSupport

@Suite("Pull: the scheduler never overlaps runs", .blockingWork)
struct PullSchedulerTests {
    private let quiet = Logger(label: "scheduler-test") { _ in SwiftLogNoOpLogHandler() }

    @Test func aRunRequestedDuringARunIsSkipped() async throws {
        let (started, startedSignal) = AsyncStream<Void>.makeStream()
        let (release, releaseSignal) = AsyncStream<Void>.makeStream()
        let scheduler = PullScheduler(every: .seconds(3600), logger: quiet) {
            startedSignal.yield()
            for await _ in release { break }
            return PullSummary(source: "test", mode: "incremental")
        }
        let first = Task { await scheduler.runNow() }
        for await _ in started { break }

        let second = await scheduler.runNow()
        guard case .skipped = second else { Issue.record("expected skipped, got \(second)"); return }
        releaseSignal.yield()
        guard case .succeeded = await first.value else { Issue.record("the first run should succeed"); return }
        guard case .succeeded? = await scheduler.lastOutcome else { Issue.record("lastOutcome"); return }
    }

    @Test func runsBackToBackWhenARunOutlastsThePeriodAndSurvivesFailures() async throws {
        let counter = Concurrency()
        let (finished, finishedSignal) = AsyncStream<PullScheduler.Outcome>.makeStream()
        let scheduler = PullScheduler(every: .milliseconds(20), logger: quiet, observer: { finishedSignal.yield($0) }) {
            counter.enter()
            try? await Task.sleep(for: .milliseconds(40))
            counter.leave()
            throw SupplierError(.network, "supplier down")
        }
        let loop = Task { await scheduler.run() }
        // Synchronised on the scheduler's own outcomes: three runs, however slow the machine.
        var outcomes = 0
        for await _ in finished {
            outcomes += 1
            if outcomes == 3 { break }
        }
        loop.cancel()
        await loop.value

        #expect(counter.runs >= 3, "failures do not stop the schedule")
        #expect(counter.maximum == 1)
        guard case .failed(let message)? = await scheduler.lastOutcome else { Issue.record("lastOutcome"); return }
        #expect(message.contains("supplier down"))
    }
}

private final class Concurrency: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private(set) var maximum = 0
    private(set) var runs = 0

    func enter() {
        lock.withLock {
            current += 1
            runs += 1
            maximum = max(maximum, current)
        }
    }

    func leave() { lock.withLock { current -= 1 } }
}
