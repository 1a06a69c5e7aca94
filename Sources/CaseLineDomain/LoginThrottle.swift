/// The failed-login rule, as a pure value: how long to delay an answer and when a name is locked.
///
/// Failures are counted per user name whether or not the account exists, so that neither the delay nor
/// the lock tells an attacker which names are real.
public struct LoginThrottle: Sendable, Hashable {
    /// Delay after the first failure; it doubles with each further failure.
    public var baseDelayMilliseconds: Int
    public var maximumDelayMilliseconds: Int
    /// Failures of one name before it is locked (until an admin unlocks it).
    public var lockAfterFailures: Int

    public static let defaults = LoginThrottle(
        baseDelayMilliseconds: 1000, maximumDelayMilliseconds: 30_000, lockAfterFailures: 10)

    public init(baseDelayMilliseconds: Int, maximumDelayMilliseconds: Int, lockAfterFailures: Int) {
        self.baseDelayMilliseconds = max(0, baseDelayMilliseconds)
        self.maximumDelayMilliseconds = max(self.baseDelayMilliseconds, maximumDelayMilliseconds)
        self.lockAfterFailures = max(1, lockAfterFailures)
    }

    /// The delay before answering an attempt, given the failures already recorded for the name and for the
    /// client address: the larger of the two decides.
    public func delayMilliseconds(nameFailures: Int, addressFailures: Int) -> Int {
        let failures = max(nameFailures, addressFailures)
        guard failures > 0 else { return 0 }
        let doublings = min(failures - 1, 20)
        let delay = baseDelayMilliseconds.multipliedReportingOverflow(by: 1 << doublings)
        return delay.overflow ? maximumDelayMilliseconds : min(delay.partialValue, maximumDelayMilliseconds)
    }

    public func isLocked(nameFailures: Int) -> Bool { nameFailures >= lockAfterFailures }
}
