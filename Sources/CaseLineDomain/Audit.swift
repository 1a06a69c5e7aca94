public import Foundation

/// Who did something, from where: attached to every change so that its audit record names them.
public struct Actor: Sendable, Hashable {
    /// The user's login, or `-` before authentication (e.g. a failed login).
    public var login: String
    /// When acting by delegation: the user on whose behalf.
    public var onBehalfOf: String?
    /// The connection id and client address, e.g. `c42@127.0.0.1`.
    public var connection: String

    public init(login: String, onBehalfOf: String? = nil, connection: String) {
        self.login = login
        self.onBehalfOf = onBehalfOf
        self.connection = connection
    }

    public static func system(_ what: String) -> Actor { Actor(login: "system", connection: what) }
}

/// One record of the append-only audit trail, before it is chained.
public struct AuditEntry: Sendable, Hashable {
    public var actor: Actor
    /// The command as the user gave it, secrets redacted (e.g. `LOGIN lan ***`).
    public var command: String
    /// `kind:id`, e.g. `user:lan`.
    public var entity: String
    /// What changed, human-readable, e.g. `role: officer → chair`.
    public var change: String
    /// The events the change raises; stored with it, in its transaction. They are not part of the audit hash.
    public var events: [EventDraft]

    public init(actor: Actor, command: String, entity: String, change: String, events: [EventDraft] = []) {
        self.actor = actor
        self.command = command
        self.entity = entity
        self.change = change
        self.events = events
    }
}

/// A chained audit record as stored.
public struct AuditRecord: Sendable, Hashable {
    public var sequence: Int64
    public var at: Date
    public var entry: AuditEntry
    /// SHA-256 over the previous record's hash and this record's fields, hex.
    public var hash: String

    public init(sequence: Int64, at: Date, entry: AuditEntry, hash: String) {
        self.sequence = sequence
        self.at = at
        self.entry = entry
        self.hash = hash
    }
}

/// The result of checking the whole chain.
public struct AuditVerification: Sendable, Hashable {
    public var records: Int64
    /// The hash of the last record ("" when the trail is empty).
    public var head: String
    /// The first record whose hash does not match, or the first missing sequence number, if any.
    public var firstBroken: Int64?
    /// Why the chain breaks there: a sequence number is missing (`gap`) or a hash does not match (`hash`).
    public var gap: Bool

    public init(records: Int64, head: String, firstBroken: Int64?, gap: Bool = false) {
        self.records = records
        self.head = head
        self.firstBroken = firstBroken
        self.gap = gap
    }
}
