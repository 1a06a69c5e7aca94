/// Server-wide connection and session bookkeeping: limits per address and per user, and revocations that
/// must reach sessions already open (a revoked token, a disabled account).
actor ConnectionRegistry {
    private let maxConnections: Int
    private let maxPerAddress: Int
    private let maxSessionsPerUser: Int
    private var total = 0
    private var perAddress: [String: Int] = [:]
    private var sessionsPerUser: [String: Int] = [:]
    private var revokedTokens: Set<String> = []
    private var revokedUsers: Set<String> = []
    private var nextID = 0

    init(maxConnections: Int, maxPerAddress: Int, maxSessionsPerUser: Int) {
        self.maxConnections = maxConnections
        self.maxPerAddress = maxPerAddress
        self.maxSessionsPerUser = maxSessionsPerUser
    }

    /// Admits a connection, or refuses it when a limit is reached. Returns its id (`c1`, `c2` …).
    func admit(address: String) -> String? {
        guard total < maxConnections, perAddress[address, default: 0] < maxPerAddress else { return nil }
        total += 1
        perAddress[address, default: 0] += 1
        nextID += 1
        return "c\(nextID)"
    }

    func release(address: String) {
        total -= 1
        perAddress[address, default: 1] -= 1
        if perAddress[address] == 0 { perAddress[address] = nil }
    }

    var connectionCount: Int { total }

    func startSession(user: String) -> Bool {
        guard sessionsPerUser[user, default: 0] < maxSessionsPerUser else { return false }
        sessionsPerUser[user, default: 0] += 1
        return true
    }

    func sessionCount(user: String) -> Int { sessionsPerUser[user, default: 0] }

    func endSession(user: String) {
        sessionsPerUser[user, default: 1] -= 1
        if sessionsPerUser[user] == 0 { sessionsPerUser[user] = nil }
    }

    func revoke(token: String) { revokedTokens.insert(token) }
    func revoke(user: String) { revokedUsers.insert(user) }
    func reinstate(user: String) { revokedUsers.remove(user) }

    func isRevoked(user: String, token: String?) -> Bool {
        revokedUsers.contains(user) || token.map(revokedTokens.contains) ?? false
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
