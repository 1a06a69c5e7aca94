import CaseLineDomain
import Testing

@Suite("Failed-login throttle")
struct LoginThrottleTests {
    let throttle = LoginThrottle(baseDelayMilliseconds: 1000, maximumDelayMilliseconds: 30_000, lockAfterFailures: 10)

    @Test(arguments: [
        (0, 0), (1, 1000), (2, 2000), (3, 4000), (5, 16_000), (6, 30_000), (50, 30_000), (10_000, 30_000),
    ])
    func delayDoublesUpToTheMaximum(failures: Int, expected: Int) {
        #expect(throttle.delayMilliseconds(nameFailures: failures, addressFailures: 0) == expected)
        #expect(throttle.delayMilliseconds(nameFailures: 0, addressFailures: failures) == expected)
    }

    @Test func theWorseOfNameAndAddressDecides() {
        #expect(throttle.delayMilliseconds(nameFailures: 1, addressFailures: 4) == 8000)
    }

    @Test func lockAfterTheConfiguredFailures() {
        #expect(!throttle.isLocked(nameFailures: 9))
        #expect(throttle.isLocked(nameFailures: 10))
    }

    @Test func nonsenseSettingsAreClamped() {
        let odd = LoginThrottle(baseDelayMilliseconds: -5, maximumDelayMilliseconds: -1, lockAfterFailures: 0)
        #expect(odd.baseDelayMilliseconds == 0)
        #expect(odd.lockAfterFailures == 1)
        #expect(odd.delayMilliseconds(nameFailures: 3, addressFailures: 0) == 0)
    }
}

@Suite("Scopes and roles")
struct ScopeTests {
    @Test(arguments: ["national", "province:19", "commune:05590"])
    func wireFormRoundTrips(_ wire: String) throws {
        #expect(try #require(Scope(wire: wire)).description == wire)
    }

    @Test(arguments: ["", "province", "province:", "district:1", "commune:12a", "NATIONAL"])
    func malformedScopesAreRejected(_ wire: String) {
        #expect(Scope(wire: wire) == nil)
    }
}
