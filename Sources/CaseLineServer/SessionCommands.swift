import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation
import Logging

/// HELLO, LOGIN, AUTH, LOGOUT, PING, WHOAMI, HELP, PASSWORD (CLP1.md §10.1).
enum SessionCommands {
    static let version = Param.integer("version", 0...9999).required
    static let client = Param.text("client", max: 64)
    static let login = Param.id("user").required
    static let password = Param.text("password", max: 256).required.secret
    static let token = Param.text("token", max: 256).required.secret
    static let text = Param.text("text", max: 256)
    static let verb = Param.id("verb")
    static let subcommand = Param.id("subcommand")
    static let params = Param.boolean("params")
    static let oldPassword = Param.text("old", max: 256).required.secret
    static let newPassword = Param.text("new", max: 256).required.secret

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "HELLO", group: .session, summary: "Negotiate the protocol version and learn the server's capabilities.",
            positionals: [version], options: [client], access: .anyone, reach: .anywhere,
            who: "anyone, before or after authentication.", handler: hello),
        CommandDefinition(
            "LOGIN", group: .session, summary: "Authenticate with a user name and password.",
            positionals: [login, password], access: .anyone, reach: .anywhere, who: "an unauthenticated session.",
            handler: Self.login),
        CommandDefinition(
            "AUTH", group: .session, summary: "Authenticate with an API token.", positionals: [token],
            access: .anyone, reach: .anywhere, who: "an unauthenticated session.", handler: authenticate),
        CommandDefinition(
            "LOGOUT", group: .session, summary: "End the session and close the connection.", access: .anyone,
            reach: .anywhere, who: "anyone, before or after authentication.", handler: logout),
        CommandDefinition(
            "PING", group: .session, summary: "Check that the server answers; echoes the optional text.",
            positionals: [text], access: .anyone, reach: .anywhere,
            who: "anyone, before or after authentication. A `PING` resets the idle timer.", handler: ping),
        CommandDefinition(
            "WHOAMI", group: .session, summary: "Show the session's user, role, scope and limits.",
            access: .authenticated, reach: .anywhere,
            who: "any authenticated session, including one that must change its password.", handler: whoami),
        CommandDefinition(
            "HELP", group: .session, summary: "List the commands, or show one command's syntax.",
            positionals: [verb, subcommand], options: [params], access: .anyone, reach: .anywhere,
            who: "anyone, before or after authentication.", handler: help),
        CommandDefinition(
            "PASSWORD", group: .session, summary: "Change your own password.",
            positionals: [oldPassword, newPassword], access: .authenticated, reach: .anywhere,
            who: "any authenticated session, for its own account.", handler: Self.password),
    ]

    static func hello(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        guard try input[version] == 1 else {
            throw DomainError(.versionUnsupported, "this server speaks version 1", details: [("versions", "1")])
        }
        return .ok(
            "version 1 selected",
            [
                Record(
                    "HELLO",
                    [
                        Field("version", "1"), Field("server", ServerEnvironment.serverVersion),
                        Field("caps", env.capabilities),
                    ])
            ])
    }

    static func sessionRecord(_ session: SessionState) -> Record {
        guard let auth = session.auth else { return Record("SESSION", [Field("user", "-")]) }
        var fields = [
            Field("user", auth.user.login), Field("name", auth.user.name), Field("role", auth.user.role.rawValue),
            Field("scope", auth.user.scope.description),
            Field("must-change-password", auth.method == .password && auth.user.mustChangePassword ? "yes" : "no"),
        ]
        switch auth.method {
        case .password: fields.append(Field("via", "password"))
        case .token(let id): fields += [Field("via", "token"), Field("token", id)]
        case .certificate: fields.append(Field("via", "certificate"))
        }
        fields.append(Field("conn", session.connectionID))
        return Record("SESSION", fields)
    }

    static func login(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        guard session.auth == nil else { throw DomainError(.alreadyAuthenticated, "this session is already logged in") }
        let name = try input[login]
        let password = try input[Self.password]
        try await refuseIfLockedOut(env, session, name: name, command: "LOGIN")
        let credentials = try await env.store.credentials(login: name)
        let matches = try await env.hasher.verify(password, against: credentials?.passwordHash ?? env.decoyHash)
        guard let credentials, matches, !credentials.user.disabled else {
            try await failLogin(env, &session, name: name, command: "LOGIN", method: "password")
        }
        try await env.store.clearLoginFailures(name: name, address: session.address)
        return try await startSession(
            env, &session, SessionState.Authentication(user: credentials.user, method: .password))
    }

    /// `LOCKED` while this client address is locked out of the name, `TOO-MANY-REQUESTS` while the address is
    /// refused every login (LoginThrottle); both end by themselves, and neither touches other addresses.
    static func refuseIfLockedOut(_ env: ServerEnvironment, _ session: SessionState, name: String?, command: String)
        async throws
    {
        let now = env.clock()
        if let until = await env.addressFailures.lockedUntil(session.address, at: now) {
            env.metrics.authFailure("address-locked")
            throw DomainError(
                .tooManyRequests,
                "too many failed logins from \(session.address); try again after \(Timestamp.format(until))",
                details: [("until", Timestamp.format(until))])
        }
        guard let name else { return }
        let state = try await env.store.loginState(name: name, address: session.address)
        guard let until = state.lockedUntil, state.isLocked(at: now) else { return }
        env.metrics.authFailure("locked")
        try await env.store.appendAudit(
            AuditEntry(
                actor: session.actor, command: command, entity: "user:\(name)",
                change: "login refused: \(session.address) is locked out until \(Timestamp.format(until))"))
        throw DomainError(
            .locked,
            "too many failed logins for \(name) from \(session.address); try again after \(Timestamp.format(until))"
                + " or ask an administrator to unlock it",
            details: [("until", Timestamp.format(until))])
    }

    /// Records the failure, waits the growing delay, then refuses — the same way whether or not the name exists.
    static func failLogin(
        _ env: ServerEnvironment, _ session: inout SessionState, name: String, command: String, method: String
    ) async throws -> Never {
        env.metrics.authFailure(method)
        let throttle = env.configuration.auth.throttle
        let now = env.clock()
        var nameFailures = 0
        if method == "token" {
            // A token names no account: the failure counts against the address only.
            try await env.store.appendAudit(
                AuditEntry(actor: session.actor, command: command, entity: "token:-", change: "token login failed"))
        } else {
            var events: [EventDraft] = []
            if let user = try await env.store.user(login: name) {
                // Raised only if this failure locks an address out of an existing account: the admins
                // responsible for it hear that someone is guessing its password.
                let place = env.eventPlace(scope: user.scope)
                events.append(
                    EventDraft(
                        .accountLocked, province: place.province, commune: place.commune,
                        details: [EventDetail("user", user.login)], concerns: []))
            }
            let state = try await env.store.recordLoginFailure(
                name: name, address: session.address, throttle: throttle, lockEvents: events,
                audit: AuditEntry(
                    actor: session.actor, command: command, entity: "user:\(name)", change: "\(method) login failed"))
            nameFailures = state.nameFailures
        }
        let addressFailures = await env.addressFailures.record(session.address, at: now, throttle: throttle)
        let delay = throttle.delayMilliseconds(nameFailures: nameFailures, addressFailures: addressFailures)
        env.logger.notice(
            "authentication failed",
            metadata: [
                "caseline.conn": "\(session.connectionID)", "caseline.user": "\(name)", "caseline.delay-ms": "\(delay)",
            ])
        try await Task.sleep(for: .milliseconds(delay))
        throw DomainError(
            .authFailed,
            method == "token"
                ? "the token was not accepted (unknown, expired or revoked)" : "wrong user name or password")
    }

    static func startSession(
        _ env: ServerEnvironment, _ session: inout SessionState, _ auth: SessionState.Authentication
    ) async throws -> Reply {
        guard let serial = await env.registry.startSession(user: auth.user.login) else {
            throw DomainError(.tooManyRequests, "\(auth.user.login) has too many open sessions")
        }
        var auth = auth
        auth.serial = serial
        auth.userVersion = await env.registry.status(user: auth.user.login, serial: serial, token: nil).userVersion
        try await env.store.recordLogin(login: auth.user.login, at: env.clock())
        session.auth = auth
        env.logger.info(
            "authenticated",
            metadata: ["caseline.conn": "\(session.connectionID)", "caseline.user": "\(auth.user.login)"])
        let text =
            auth.user.mustChangePassword ? "logged in; the password is one-time: change it with PASSWORD" : "logged in"
        return .ok(text, [sessionRecord(session)])
    }

    static func authenticate(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput)
        async throws -> Reply
    {
        guard session.auth == nil else { throw DomainError(.alreadyAuthenticated, "this session is already logged in") }
        try await refuseIfLockedOut(env, session, name: nil, command: "AUTH")
        let secret = try input[token]
        guard let (token, owner) = try await env.store.token(secretHash: TokenSecret.hash(secret)),
            token.isUsable(at: env.clock()), !owner.disabled
        else {
            try await failLogin(env, &session, name: "token", command: "AUTH", method: "token")
        }
        try await env.store.touchToken(id: token.id, at: env.clock())
        return try await startSession(
            env, &session,
            SessionState.Authentication(user: owner, method: .token(id: token.id), expires: token.expires))
    }

    static func logout(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        Reply(responses: [.bye(code: nil, text: "logging out")], text: "goodbye", closeAfter: true)
    }

    static func ping(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        var fields = [Field("time", Timestamp.format(env.clock()))]
        if let text = input[text] { fields.append(Field("text", text)) }
        return .ok("pong", [Record("PONG", fields)])
    }

    static func whoami(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let configuration = env.configuration
        let user = try session.requireUser()
        let sessions = await env.registry.sessionCount(user: user.login)
        let limits = Record(
            "LIMITS",
            [
                Field("max-line", String(configuration.limits.framing.maxLineBytes)),
                Field("max-literal", String(configuration.limits.framing.maxLiteralBytes)),
                Field("max-command", String(configuration.limits.framing.maxCommandBytes)),
                Field("max-inflight", String(configuration.limits.maxInflight)),
                Field("idle-timeout", String(configuration.timeouts.idle.wholeSeconds)),
                Field("sessions", String(sessions)),
                Field("sessions-per-user", String(configuration.limits.maxSessionsPerUser)),
                Field("max-watches", String(configuration.events.maxWatches)),
            ])
        return .ok("you", [sessionRecord(session), limits])
    }

    static func password(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let user = try session.requireUser()
        let (old, new) = (try input[oldPassword], try input[newPassword])
        guard let credentials = try await env.store.credentials(login: user.login),
            try await env.hasher.verify(old, against: credentials.passwordHash)
        else {
            try await failLogin(env, &session, name: user.login, command: "PASSWORD", method: "password")
        }
        try PasswordRules.check(new, previous: old, login: user.login)
        let hash = try await env.hasher.hash(new)
        try await env.store.setPassword(
            login: user.login, passwordHash: hash, mustChange: false,
            audit: AuditEntry(
                actor: session.actor, command: "PASSWORD", entity: "user:\(user.login)",
                change: "password changed"))
        session.auth?.user.mustChangePassword = false
        return .ok("password changed")
    }

    static func help(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        try HelpText.reply(
            registry: env.commands, role: session.user?.role,
            words: [input[verb], input[subcommand]].compactMap { $0 }, params: input[params] ?? false)
    }
}

/// The rules a new password must meet. Length beats composition rules (NIST SP 800-63B).
enum PasswordRules {
    static let minimumLength = 10

    static func check(_ password: String, previous: String?, login: String) throws {
        guard password.count >= minimumLength else {
            throw DomainError(.invalid, "a password needs at least \(minimumLength) characters")
        }
        guard password != previous else { throw DomainError(.invalid, "the new password must differ from the old one") }
        guard password.lowercased() != login.lowercased() else {
            throw DomainError(.invalid, "the password may not be the user name")
        }
    }
}
