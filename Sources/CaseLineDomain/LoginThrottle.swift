public import Foundation

/// The failed-login rule, as a pure value: how long to delay a failure's answer, and when a client address
/// is locked out of a user name.
///
/// Brute force must stay slow, but a lock that strangers can trigger must not become a denial of service
/// (anyone who knew a login could once lock it, the only admin included, for ever). So:
/// - every failure is answered after a delay that doubles with the failures of the name (from anywhere) and
///   of the client address (whatever names it tries), whichever is worse, up to a maximum below the login
///   timeout; a success is never delayed;
/// - `lockAfterFailures` failures of one name *from one address* lock that address out of that name for
///   `lockMinutes`: the stranger locks out only themselves, the real user from another address logs in as
///   usual, and the lock ends by itself;
/// - an address that fails `addressLockAfterFailures` times, whatever the names, is refused every login for
///   `lockMinutes` (password spraying).
/// Failures are counted per name whether or not the account exists, so neither the delay nor the lock tells
/// an attacker which names are real.
public struct LoginThrottle: Sendable, Hashable {
    /// Delay after the first failure; it doubles with each further failure.
    public var baseDelayMilliseconds: Int
    public var maximumDelayMilliseconds: Int
    /// Failures of one name from one address before that address is locked out of it.
    public var lockAfterFailures: Int
    /// How long a lock lasts (name from an address, or a whole address).
    public var lockMinutes: Int
    /// Failures from one address, any names, before the address is refused every login.
    public var addressLockAfterFailures: Int

    public static let defaults = LoginThrottle(
        baseDelayMilliseconds: 1000, maximumDelayMilliseconds: 15_000, lockAfterFailures: 10, lockMinutes: 15,
        addressLockAfterFailures: 50)

    public init(
        baseDelayMilliseconds: Int, maximumDelayMilliseconds: Int, lockAfterFailures: Int, lockMinutes: Int = 15,
        addressLockAfterFailures: Int = 50
    ) {
        self.baseDelayMilliseconds = max(0, baseDelayMilliseconds)
        self.maximumDelayMilliseconds = max(self.baseDelayMilliseconds, maximumDelayMilliseconds)
        self.lockAfterFailures = max(1, lockAfterFailures)
        self.lockMinutes = max(1, lockMinutes)
        self.addressLockAfterFailures = max(1, addressLockAfterFailures)
    }

    /// The delay before answering a failed attempt, given the failures already recorded for the name and for
    /// the client address: the larger of the two decides.
    public func delayMilliseconds(nameFailures: Int, addressFailures: Int) -> Int {
        let failures = max(nameFailures, addressFailures)
        guard failures > 0 else { return 0 }
        let doublings = min(failures - 1, 20)
        let delay = baseDelayMilliseconds.multipliedReportingOverflow(by: 1 << doublings)
        return delay.overflow ? maximumDelayMilliseconds : min(delay.partialValue, maximumDelayMilliseconds)
    }

    public var lockDuration: TimeInterval { TimeInterval(lockMinutes * 60) }

    /// One name seen from one address: failures since its last success or lock, and the lock in force.
    public struct AddressRecord: Sendable, Hashable {
        public var failures: Int
        public var lockedUntil: Date?

        public init(failures: Int = 0, lockedUntil: Date? = nil) {
            self.failures = failures
            self.lockedUntil = lockedUntil
        }

        public func isLocked(at now: Date) -> Bool { lockedUntil.map { now < $0 } ?? false }
    }

    /// The record after one more failure at `now`, and whether this failure started a lock. A lock that has
    /// expired starts the count again; reaching the threshold locks and resets the count.
    public func afterFailure(_ record: AddressRecord, at now: Date) -> (record: AddressRecord, newlyLocked: Bool) {
        var next = record
        if let until = record.lockedUntil, now >= until { next = AddressRecord() }
        next.failures += 1
        guard next.failures >= lockAfterFailures else { return (next, false) }
        return (AddressRecord(failures: 0, lockedUntil: now.addingTimeInterval(lockDuration)), true)
    }
}

/// What the store knows about a name's failed logins, as seen from one address (LOGIN) or overall (USER
/// records).
public struct LoginState: Sendable, Hashable {
    /// Failed logins of the name since its last success, from every address.
    public var nameFailures: Int
    /// Until when this address (or, overall, the latest-ending address) is locked out of the name.
    public var lockedUntil: Date?
    /// Set by a failure that has just started the lock.
    public var newlyLocked: Bool

    public init(nameFailures: Int = 0, lockedUntil: Date? = nil, newlyLocked: Bool = false) {
        self.nameFailures = nameFailures
        self.lockedUntil = lockedUntil
        self.newlyLocked = newlyLocked
    }

    public func isLocked(at now: Date) -> Bool { lockedUntil.map { now < $0 } ?? false }
}
