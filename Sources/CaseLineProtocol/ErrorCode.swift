/// The stable, never-translated vocabulary of CLP/1 response codes (`NO [CODE]`, `BAD [CODE]`, `BYE [CODE]`).
///
/// The raw values are the wire spelling. `Protocol/CLP1.md` §8 documents each one; a test checks that
/// the two lists agree. Codes are only ever added, never renamed or removed.
public enum ErrorCode: String, Sendable, CaseIterable, Hashable {
    // Malformed requests (BAD): retrying the same bytes can never help.
    case badTag = "BAD-TAG"
    case missingCommand = "MISSING-COMMAND"
    case unknownCommand = "UNKNOWN-COMMAND"
    case missingArgument = "MISSING-ARGUMENT"
    case tooManyArguments = "TOO-MANY-ARGUMENTS"
    case unknownOption = "UNKNOWN-OPTION"
    case duplicateOption = "DUPLICATE-OPTION"
    case badOption = "BAD-OPTION"
    case badValue = "BAD-VALUE"
    case badSyntax = "BAD-SYNTAX"
    case unterminatedQuote = "UNTERMINATED-QUOTE"
    case badEscape = "BAD-ESCAPE"
    case badLiteral = "BAD-LITERAL"
    case literalTooLarge = "LITERAL-TOO-LARGE"
    case lineTooLong = "LINE-TOO-LONG"
    case commandTooLarge = "COMMAND-TOO-LARGE"
    case badUTF8 = "BAD-UTF8"
    case controlCharacter = "CONTROL-CHAR"

    // Refusals (NO): the request was well formed but cannot be carried out as it stands.
    case versionUnsupported = "VERSION-UNSUPPORTED"
    case authRequired = "AUTH-REQUIRED"
    case authFailed = "AUTH-FAILED"
    case accountLocked = "LOCKED"
    case accountDisabled = "DISABLED"
    case passwordChangeRequired = "PASSWORD-CHANGE-REQUIRED"
    case alreadyAuthenticated = "ALREADY-AUTHENTICATED"
    case forbidden = "FORBIDDEN"
    case outOfScope = "OUT-OF-SCOPE"
    case notFound = "NOT-FOUND"
    case alreadyExists = "ALREADY-EXISTS"
    case conflict = "CONFLICT"
    case leadExists = "LEAD-EXISTS"
    case invalid = "INVALID"
    case invalidTransition = "INVALID-TRANSITION"
    case selfApproval = "SELF-APPROVAL"
    case idempotencyMismatch = "IDEMPOTENCY-MISMATCH"
    case resyncRequired = "RESYNC-REQUIRED"
    case tooManyRequests = "TOO-MANY-REQUESTS"
    case unavailable = "UNAVAILABLE"
    case internalError = "INTERNAL"

    // Reasons the server closes a connection (BYE).
    case shutdown = "SHUTDOWN"
    case idleTimeout = "IDLE-TIMEOUT"
    case loginTimeout = "LOGIN-TIMEOUT"
    case tooManyErrors = "TOO-MANY-ERRORS"
    case tooManyConnections = "TOO-MANY-CONNECTIONS"
    case slowConsumer = "SLOW-CONSUMER"
    case sessionRevoked = "SESSION-REVOKED"

    /// Which completion carries the code.
    public enum Status: String, Sendable {
        case bad = "BAD"
        case no = "NO"
        case bye = "BYE"
    }

    /// Whether sending the request again can succeed, so that scripts can decide without a table of their own.
    public enum Retry: String, Sendable {
        /// The same request will fail the same way.
        case never
        /// It can succeed once something else changes first (re-read and resend, unlock, change a password …).
        case afterChange = "after-change"
        /// The same request may succeed later, unchanged (backing off is wise).
        case later
    }

    public var status: Status {
        switch self {
        case .badTag, .missingCommand, .unknownCommand, .missingArgument, .tooManyArguments, .unknownOption,
            .duplicateOption, .badOption, .badValue, .badSyntax, .unterminatedQuote, .badEscape, .badLiteral,
            .literalTooLarge, .lineTooLong, .commandTooLarge, .badUTF8, .controlCharacter:
            return .bad
        case .shutdown, .idleTimeout, .loginTimeout, .tooManyErrors, .tooManyConnections, .slowConsumer,
            .sessionRevoked:
            return .bye
        default:
            return .no
        }
    }

    public var retry: Retry {
        switch self {
        case .tooManyRequests, .unavailable, .internalError, .shutdown, .idleTimeout, .loginTimeout,
            .tooManyConnections, .slowConsumer, .tooManyErrors, .accountLocked:
            return .later
        case .authRequired, .accountDisabled, .passwordChangeRequired, .forbidden,
            .outOfScope, .notFound, .conflict, .leadExists, .invalidTransition, .resyncRequired,
            .sessionRevoked:
            return .afterChange
        default:
            return .never
        }
    }
}
