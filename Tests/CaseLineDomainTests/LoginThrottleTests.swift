import CaseLineDomain
import Foundation
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

    @Test func anAddressIsLockedOutOfANameForAWhileOnly() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var record = LoginThrottle.AddressRecord()
        for n in 1...9 {
            let (next, locked) = throttle.afterFailure(record, at: start)
            #expect(!locked && next.failures == n && !next.isLocked(at: start))
            record = next
        }
        let (locked, newly) = throttle.afterFailure(record, at: start)
        #expect(newly)
        #expect(locked.isLocked(at: start.addingTimeInterval(14 * 60)))
        // The lock ends by itself: nobody has to unlock it, and it cannot be made permanent from outside.
        #expect(!locked.isLocked(at: start.addingTimeInterval(15 * 60)))
        let (after, again) = throttle.afterFailure(locked, at: start.addingTimeInterval(16 * 60))
        #expect(!again && after.failures == 1 && after.lockedUntil == nil)
    }

    @Test func theMaximumDelayStaysUnderTheLoginTimeoutByDefault() {
        #expect(LoginThrottle.defaults.maximumDelayMilliseconds < 30_000)
        #expect(LoginThrottle.defaults.delayMilliseconds(nameFailures: 1000, addressFailures: 1000) == 15_000)
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
