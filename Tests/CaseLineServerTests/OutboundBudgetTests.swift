import Testing

@testable import CaseLineServer

/// The per-session outbound budget on its own: a writer waits while more than the limit is unwritten, goes
/// on once half of it has drained, and never waits on a closed connection.
@Suite("Outbound budget")
struct OutboundBudgetTests {
    @Test func underTheLimitNobodyWaits() async {
        let budget = OutboundBudget(limit: 1000)
        #expect(budget.take(1000))
        await budget.waitForRoom()
        #expect(budget.inFlight == 1000)
        budget.release(1000)
        #expect(budget.inFlight == 0)
    }

    @Test func overTheLimitTheWriterWaitsUntilHalfHasDrained() async throws {
        let budget = OutboundBudget(limit: 1000)
        #expect(budget.take(1500))
        let resumed = Flag()
        let waiter = Task {
            await budget.waitForRoom()
            await resumed.set()
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(await !resumed.value, "a writer over the limit went on")
        budget.release(900)  // 600 left: still more than half the limit
        try await Task.sleep(for: .milliseconds(100))
        #expect(await !resumed.value, "a writer went on before half the limit had drained")
        budget.release(200)  // 400 left
        await waiter.value
        #expect(await resumed.value)
    }

    @Test func aClosedConnectionReleasesItsWritersAndTakesNothingMore() async throws {
        let budget = OutboundBudget(limit: 10)
        #expect(budget.take(100))
        let waiter = Task { await budget.waitForRoom() }
        try await Task.sleep(for: .milliseconds(50))
        budget.close()
        await waiter.value
        #expect(!budget.take(1))
        await budget.waitForRoom()
    }
}

private actor Flag {
    var value = false
    func set() { value = true }
}
