public import Foundation

/// An API token for scripts. Its secret is shown once at creation and stored only as a hash.
public struct APIToken: Sendable, Hashable, Codable {
    public var id: String
    public var owner: String
    public var label: String
    /// The secret's first 8 characters, to tell tokens apart without revealing them.
    public var prefix: String
    public var created: Date
    public var expires: Date?
    public var revoked: Date?
    public var lastUsed: Date?

    public init(
        id: String, owner: String, label: String, prefix: String, created: Date, expires: Date? = nil,
        revoked: Date? = nil, lastUsed: Date? = nil
    ) {
        self.id = id
        self.owner = owner
        self.label = label
        self.prefix = prefix
        self.created = created
        self.expires = expires
        self.revoked = revoked
        self.lastUsed = lastUsed
    }

    public func isUsable(at now: Date) -> Bool {
        revoked == nil && (expires.map { now < $0 } ?? true)
    }
}
