import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation
import Logging

/// What every session shares: configuration and the services behind the commands. Immutable; the mutable
/// parts (registry, failures) are actors.
struct ServerEnvironment: Sendable {
    let configuration: ServerConfiguration
    let store: any Store
    let hasher: PasswordHasher
    let registry: ConnectionRegistry
    let events: EventHub
    let addressFailures: AddressFailures
    let metrics: ServerMetrics
    /// Every command, declared once; its policy decides access.
    let commands: CommandRegistry
    var policy: AccessPolicy { commands.policy }
    /// Every administrative unit, loaded from the store when the server starts.
    let units: UnitDirectory
    let logger: Logger
    /// Verified against when a login names no account, so that unknown names cost the same time.
    let decoyHash: String
    let clock: @Sendable () -> Date

    static let serverVersion = "caseline/0.1.0"
    var capabilities: String {
        "literal,idempotency,watch,token-auth" + (configuration.tls.clientCertificates == .optional ? ",mtls" : "")
    }

    func greeting(auth: SessionState.Authentication?) -> Record {
        var fields = [
            Field("protocol", "CLP/1"), Field("versions", "1"), Field("server", Self.serverVersion),
            Field("caps", capabilities), Field("max-line", String(configuration.limits.framing.maxLineBytes)),
            Field("max-literal", String(configuration.limits.framing.maxLiteralBytes)),
            Field("max-command", String(configuration.limits.framing.maxCommandBytes)),
            Field("max-inflight", String(configuration.limits.maxInflight)),
            Field("login-timeout", String(configuration.timeouts.login.wholeSeconds)),
            Field("idle-timeout", String(configuration.timeouts.idle.wholeSeconds)),
        ]
        if let auth, case .certificate = auth.method {
            fields.append(Field("auth", "certificate"))
            fields.append(Field("user", auth.user.login))
        } else {
            fields.append(Field("auth", "none"))
        }
        return Record("GREETING", fields)
    }
}

/// One connection's state, owned by its session task.
struct SessionState: Sendable {
    struct Authentication: Sendable {
        enum Method: Sendable, Equatable {
            case password
            case token(id: String)
            case certificate
        }
        var user: User
        var method: Method
        /// From the registry: identifies this session for revocation.
        var serial = 0
        /// The registry's version of the user when `user` was read.
        var userVersion = 0
        /// When the session's token stops working (token sessions only).
        var expires: Date?

        var tokenID: String? {
            if case .token(let id) = method { return id }
            return nil
        }
    }

    let connectionID: String
    let address: String
    var auth: Authentication?
    var badCommands = 0
    /// Where responses and events leave; set by the session loop.
    var output: SessionOutput?
    /// The session's watches (`W1` …), how many it has made, and its event queue and pump once it watches.
    var watchIDs: [String] = []
    var watchesMade = 0
    var eventQueue: AsyncStream<Delivery>.Continuation?
    var eventPump: Task<Void, Never>?

    var user: User? { auth?.user }

    /// The session's user: every command past the policy's `authenticated` rule has one (AUTH-REQUIRED
    /// otherwise, rather than a trap).
    func requireUser() throws -> User {
        guard let user = auth?.user else { throw DomainError(.authRequired, "log in first (LOGIN or AUTH)") }
        return user
    }

    var actor: Actor {
        Actor(login: auth?.user.login ?? "anonymous", connection: "\(connectionID)@\(address)")
    }
}

/// What a command handler produces: untagged responses, then the tagged completion's text (and code).
struct Reply: Sendable {
    var responses: [Response] = []
    var text: String
    var code: String?
    /// Untagged lines after the completion (the BYE of a session that revoked its own token).
    var trailer: [Response] = []
    /// LOGOUT: close the connection after the completion.
    var closeAfter = false

    static func ok(_ text: String, _ records: [Record] = []) -> Reply {
        Reply(responses: records.map(Response.record), text: text)
    }
}
