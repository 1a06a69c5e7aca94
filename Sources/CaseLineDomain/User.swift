/// An account. Secrets (password hash) are not part of this value; the store keeps them apart.
public import Foundation

public struct User: Sendable, Hashable, Codable {
    public var login: String
    public var name: String
    public var role: Role
    public var scope: Scope
    public var email: String?
    public var phone: String?
    public var disabled: Bool
    /// Set by USER CREATE and USER RESET-PASSWORD: the password is one-time and must be changed.
    public var mustChangePassword: Bool
    /// SHA-256 of a client certificate (DER) that authenticates this user over mutual TLS.
    public var certificateFingerprint: String?
    public var revision: Int64
    /// When the account was created (set by the store).
    public var created: Date?
    /// The last successful LOGIN or AUTH (set by the store).
    public var lastLogin: Date?
    /// The reason given to USER DISABLE, while disabled.
    public var disabledReason: String?

    public init(
        login: String, name: String, role: Role, scope: Scope, email: String? = nil, phone: String? = nil,
        disabled: Bool = false, mustChangePassword: Bool = false, certificateFingerprint: String? = nil,
        revision: Int64 = 1, created: Date? = nil, lastLogin: Date? = nil, disabledReason: String? = nil
    ) {
        self.login = login
        self.name = name
        self.role = role
        self.scope = scope
        self.email = email
        self.phone = phone
        self.disabled = disabled
        self.mustChangePassword = mustChangePassword
        self.certificateFingerprint = certificateFingerprint
        self.revision = revision
        self.created = created
        self.lastLogin = lastLogin
        self.disabledReason = disabledReason
    }
}
