import CaseLineDomain
import Foundation
import NIOCore

/// Server-wide connection and session bookkeeping: limits per address and per user, revocations that must
/// reach sessions already open (a revoked token, a disabled account), and the open channels, so that the end
/// of a shutdown's grace period can close them.
actor ConnectionRegistry {
    private let maxConnections: Int
    private let maxPerAddress: Int
    private let maxSessionsPerUser: Int
    private var total = 0
    private var perAddress: [String: Int] = [:]
    private var sessionsPerUser: [String: Int] = [:]
    private var revokedTokens: Set<String> = []
    /// Sessions are numbered as they start; ending a user's sessions revokes every number up to now, so a
    /// new login after the revocation is not affected and does not rescue the old sessions.
    private var sessionSerial = 0
    private var userRevokedThrough: [String: Int] = [:]
    private var passwordRevokedThrough: [String: Int] = [:]
    /// Bumped when a user's account changes (role, scope …): sessions reload the user before their next command.
    private var userVersions: [String: Int] = [:]
    private var nextID = 0
    private var channels: [String: any Channel] = [:]

    init(maxConnections: Int, maxPerAddress: Int, maxSessionsPerUser: Int) {
        self.maxConnections = maxConnections
        self.maxPerAddress = maxPerAddress
        self.maxSessionsPerUser = maxSessionsPerUser
    }

    /// Admits a connection, or refuses it when a limit is reached. Returns its id (`c1`, `c2` …).
    func admit(address: String, channel: any Channel) -> String? {
        guard total < maxConnections, perAddress[address, default: 0] < maxPerAddress else { return nil }
        total += 1
        perAddress[address, default: 0] += 1
        nextID += 1
        channels["c\(nextID)"] = channel
        return "c\(nextID)"
    }

    func release(address: String, id: String) {
        total -= 1
        perAddress[address, default: 1] -= 1
        if perAddress[address] == 0 { perAddress[address] = nil }
        channels[id] = nil
    }

    /// Closes every connection still open, at once, whatever it holds unwritten; returns how many.
    func closeAll() -> Int {
        for channel in channels.values { channel.triggerUserOutboundEvent(ForcedClose(), promise: nil) }
        return channels.count
    }

    var connectionCount: Int { total }

    /// The new session's serial, or nil when the user has too many sessions.
    func startSession(user: String) -> Int? {
        guard sessionsPerUser[user, default: 0] < maxSessionsPerUser else { return nil }
        sessionsPerUser[user, default: 0] += 1
        sessionSerial += 1
        return sessionSerial
    }

    func sessionCount(user: String) -> Int { sessionsPerUser[user, default: 0] }

    func endSession(user: String) {
        sessionsPerUser[user, default: 1] -= 1
        if sessionsPerUser[user] == 0 { sessionsPerUser[user] = nil }
    }

    func revoke(token: String) { revokedTokens.insert(token) }
    /// Ends every session of the user open now (at its next command).
    func revoke(user: String) { userRevokedThrough[user] = sessionSerial }

    /// Ends the user's sessions opened with LOGIN (a password reset): token and certificate sessions go on.
    func revokePasswordSessions(user: String) { passwordRevokedThrough[user] = sessionSerial }

    func userChanged(_ user: String) { userVersions[user, default: 0] += 1 }

    /// Whether a session may go on, and the version of its user's account.
    func status(user: String, serial: Int, token: String?, viaPassword: Bool = false) -> (
        revoked: Bool, userVersion: Int
    ) {
        let revoked =
            serial <= userRevokedThrough[user, default: 0]
            || (viaPassword && serial <= passwordRevokedThrough[user, default: 0])
            || token.map(revokedTokens.contains) ?? false
        return (revoked, userVersions[user, default: 0])
    }
}

/// Failed logins per client address, kept in memory (per server node): an address's delay grows whatever
/// names it tries, and past `LoginThrottle.addressLockAfterFailures` it is refused every login for a while.
actor AddressFailures {
    private struct Entry {
        var failures = 0
        var lockedUntil: Date?
    }

    private var entries: [String: Entry] = [:]

    func count(_ address: String) -> Int { entries[address]?.failures ?? 0 }

    func lockedUntil(_ address: String, at now: Date) -> Date? {
        guard let until = entries[address]?.lockedUntil, now < until else { return nil }
        return until
    }

    /// Records a failure; returns the address's failures before its lock (for the delay).
    func record(_ address: String, at now: Date, throttle: LoginThrottle) -> Int {
        var entry = entries[address] ?? Entry()
        if let until = entry.lockedUntil, now >= until { entry = Entry() }
        entry.failures += 1
        let failures = entry.failures
        if failures >= throttle.addressLockAfterFailures {
            entry = Entry(failures: 0, lockedUntil: now.addingTimeInterval(throttle.lockDuration))
        }
        // Bounded memory: a flood of addresses cannot grow this without limit.
        if entries.count > 100_000 { entries.removeAll() }
        entries[address] = entry
        return failures
    }

    func clear(_ address: String) { entries[address] = nil }
}
