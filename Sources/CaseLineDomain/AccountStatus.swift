public import Foundation

/// What an account's state amounts to for its users and its admins (the `status` of a USER record).
public enum AccountStatus: String, Sendable, Hashable, CaseIterable {
    case active, disabled
    /// Some client address is locked out of it by failed logins (LoginThrottle); it ends by itself.
    case locked

    /// `disabled` wins over `locked`.
    public init(_ user: User, _ login: LoginState, now: Date) {
        self = user.disabled ? .disabled : login.isLocked(at: now) ? .locked : .active
    }
}
