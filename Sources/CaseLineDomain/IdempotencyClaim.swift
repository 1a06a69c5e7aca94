/// A creating command sent with `key=`: the key, per user, and a fingerprint of the request, so that a
/// retry of the same request replays its first result and a different request with the key is refused.
public struct IdempotencyClaim: Sendable, Hashable {
    public var login: String
    public var key: String
    /// The command and every value, normalised (see the dispatcher), hashed.
    public var fingerprint: String

    public init(login: String, key: String, fingerprint: String) {
        self.login = login
        self.key = key
        self.fingerprint = fingerprint
    }
}

/// What an earlier request with the same key did: its fingerprint and the entity it created.
public struct IdempotencyRecord: Sendable, Hashable {
    public var fingerprint: String
    /// `kind:id` of the entity the request created, e.g. `user:tuan`, `assignment:AS-4`.
    public var entity: String

    public init(fingerprint: String, entity: String) {
        self.fingerprint = fingerprint
        self.entity = entity
    }
}
