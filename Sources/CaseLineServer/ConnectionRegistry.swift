import NIOConcurrencyHelpers

/// Server-wide connection and session bookkeeping: limits per address and per user, and revocations that
/// must reach sessions already open (a revoked token, a disabled account). Every request asks it whether its
/// session may go on, so it is a lock around a few dictionaries rather than an actor: a hop to an actor and
/// back on every request cost more than the question (perf, 2026-11-26).
final class ConnectionRegistry: Sendable {
    private struct State {
        var total = 0
        var perAddress: [String: Int] = [:]
        var sessionsPerUser: [String: Int] = [:]
        var revokedTokens: Set<String> = []
        /// Sessions are numbered as they start; ending a user's sessions revokes every number up to now, so a
        /// new login after the revocation is not affected and does not rescue the old sessions.
        var sessionSerial = 0
        var userRevokedThrough: [String: Int] = [:]
        var passwordRevokedThrough: [String: Int] = [:]
        /// Bumped when a user's account changes (role, scope …): sessions reload the user before their next
        /// command.
        var userVersions: [String: Int] = [:]
        var nextID = 0
    }

    private let maxConnections: Int
    private let maxPerAddress: Int
    private let maxSessionsPerUser: Int
    private let state = NIOLockedValueBox(State())

    init(maxConnections: Int, maxPerAddress: Int, maxSessionsPerUser: Int) {
        self.maxConnections = maxConnections
        self.maxPerAddress = maxPerAddress
        self.maxSessionsPerUser = maxSessionsPerUser
    }

    /// Admits a connection, or refuses it when a limit is reached. Returns its id (`c1`, `c2` …).
    func admit(address: String) -> String? {
        state.withLockedValue { state in
            guard state.total < maxConnections, state.perAddress[address, default: 0] < maxPerAddress else {
                return nil
            }
            state.total += 1
            state.perAddress[address, default: 0] += 1
            state.nextID += 1
            return "c\(state.nextID)"
        }
    }

    func release(address: String) {
        state.withLockedValue { state in
            state.total -= 1
            state.perAddress[address, default: 1] -= 1
            if state.perAddress[address] == 0 { state.perAddress[address] = nil }
        }
    }

    var connectionCount: Int { state.withLockedValue { $0.total } }

    /// The new session's serial, or nil when the user has too many sessions.
    func startSession(user: String) -> Int? {
        state.withLockedValue { state in
            guard state.sessionsPerUser[user, default: 0] < maxSessionsPerUser else { return nil }
            state.sessionsPerUser[user, default: 0] += 1
            state.sessionSerial += 1
            return state.sessionSerial
        }
    }

    func sessionCount(user: String) -> Int { state.withLockedValue { $0.sessionsPerUser[user, default: 0] } }

    func endSession(user: String) {
        state.withLockedValue { state in
            state.sessionsPerUser[user, default: 1] -= 1
            if state.sessionsPerUser[user] == 0 { state.sessionsPerUser[user] = nil }
        }
    }

    func revoke(token: String) { _ = state.withLockedValue { $0.revokedTokens.insert(token) } }

    /// Ends every session of the user open now (at its next command).
    func revoke(user: String) { state.withLockedValue { $0.userRevokedThrough[user] = $0.sessionSerial } }

    /// Ends the user's sessions opened with LOGIN (a password reset): token and certificate sessions go on.
    func revokePasswordSessions(user: String) {
        state.withLockedValue { $0.passwordRevokedThrough[user] = $0.sessionSerial }
    }

    func userChanged(_ user: String) { state.withLockedValue { $0.userVersions[user, default: 0] += 1 } }

    /// Whether a session may go on, and the version of its user's account.
    func status(user: String, serial: Int, token: String?, viaPassword: Bool = false) -> (
        revoked: Bool, userVersion: Int
    ) {
        state.withLockedValue { state in
            let revoked =
                serial <= state.userRevokedThrough[user, default: 0]
                || (viaPassword && serial <= state.passwordRevokedThrough[user, default: 0])
                || token.map(state.revokedTokens.contains) ?? false
            return (revoked, state.userVersions[user, default: 0])
        }
    }
}

/// Failed logins per client address, kept in memory: an address's delay grows whatever names it tries.
actor AddressFailures {
    private var failures: [String: Int] = [:]

    func count(_ address: String) -> Int { failures[address, default: 0] }

    func record(_ address: String) -> Int {
        failures[address, default: 0] += 1
        // Bounded memory: a flood of addresses cannot grow this without limit.
        if failures.count > 100_000 { failures.removeAll() }
        return failures[address]!
    }

    func clear(_ address: String) { failures[address] = nil }
}
