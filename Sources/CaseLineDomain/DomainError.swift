/// A refusal from the domain or the store, with a stable code. Each code's raw value is the CLP/1 error
/// code it becomes on the wire (a test checks that every one exists in the protocol's vocabulary).
public struct DomainError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case authRequired = "AUTH-REQUIRED"
        case authFailed = "AUTH-FAILED"
        case locked = "LOCKED"
        case disabled = "DISABLED"
        case passwordChangeRequired = "PASSWORD-CHANGE-REQUIRED"
        case alreadyAuthenticated = "ALREADY-AUTHENTICATED"
        case forbidden = "FORBIDDEN"
        case outOfScope = "OUT-OF-SCOPE"
        case notFound = "NOT-FOUND"
        case alreadyExists = "ALREADY-EXISTS"
        case conflict = "CONFLICT"
        case leadExists = "LEAD-EXISTS"
        case invalidTransition = "INVALID-TRANSITION"
        case selfApproval = "SELF-APPROVAL"
        case resyncRequired = "RESYNC-REQUIRED"
        case invalid = "INVALID"
        case idempotencyMismatch = "IDEMPOTENCY-MISMATCH"
        case versionUnsupported = "VERSION-UNSUPPORTED"
        case tooManyRequests = "TOO-MANY-REQUESTS"
        case unavailable = "UNAVAILABLE"
        case internalError = "INTERNAL"
    }

    public var code: Code
    public var message: String
    /// `key=value` details carried inside the response code, e.g. `current=4` for CONFLICT.
    public var details: [(String, String)]

    public init(_ code: Code, _ message: String, details: [(String, String)] = []) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { "[\(code.rawValue)] \(message)" }

    public static func == (lhs: DomainError, rhs: DomainError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.details.elementsEqual(rhs.details, by: ==)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
