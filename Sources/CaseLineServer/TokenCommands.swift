import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// TOKEN CREATE, TOKEN LIST, TOKEN REVOKE (CLP1.md §10.2).
enum TokenCommands {
    static let label = Param.text("label", max: 64).required
    static let expires = Param.date("expires")
    static let owner = Param.id("user")

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "TOKEN CREATE", group: .tokens, summary: "Create an API token for your own account; shown once.",
            positionals: [label], options: [expires, Common.key], access: .authenticated, reach: .anywhere,
            who:
                "any role, for its own account, from a session opened with `LOGIN` or a client certificate. A session opened with `AUTH` cannot create tokens (`NO [FORBIDDEN]`), so a leaked token cannot breed more.",
            handler: create),
        CommandDefinition(
            "TOKEN LIST", group: .tokens, summary: "List API tokens (yours, or a user's for admins).",
            options: [owner], access: .authenticated,
            who:
                "any role for its own tokens; admin for the tokens of users in their scope (a province's admin never sees another province's tokens).",
            handler: list),
        CommandDefinition(
            "TOKEN REVOKE", group: .tokens, summary: "Revoke an API token; sessions using it end.",
            positionals: [Common.id], access: .authenticated,
            who: "the token's owner (any role); admin for tokens of users in their scope.", handler: revoke),
    ]

    static func record(_ token: APIToken, now: Date, secret: String? = nil) -> Record {
        var fields = [
            Field("id", token.id), Field("user", token.owner), Field("label", token.label),
            Field("prefix", token.prefix),
        ]
        if let secret { fields.append(Field("secret", secret)) }
        fields.append(Field("created", Timestamp.format(token.created)))
        if let expires = token.expires { fields.append(Field("expires", Timestamp.format(expires))) }
        if let used = token.lastUsed { fields.append(Field("last-used", Timestamp.format(used))) }
        let status = token.revoked != nil ? "revoked" : token.isUsable(at: now) ? "active" : "expired"
        fields.append(Field("status", status))
        if let revoked = token.revoked { fields.append(Field("revoked", Timestamp.format(revoked))) }
        return Record("TOKEN", fields)
    }

    /// A token expires at the end of the given day in the server's zone (UTC+7 by default).
    static func endOfDay(_ day: String) -> Date? {
        (try? Date(day + "T00:00:00+07:00", strategy: .iso8601))?.addingTimeInterval(86_400)
    }

    static func create(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let user = try session.requireUser()
        if session.auth?.tokenID != nil {
            // A leaked token must not be able to breed more tokens.
            throw DomainError(.forbidden, "a session opened with a token cannot create tokens; log in with LOGIN")
        }
        let claim = Idempotency.claim(input, session)
        if let id = try await Idempotency.earlier(claim, kind: "token", env: env),
            let token = try await env.store.token(id: id)
        {
            return Reply(
                responses: [.record(record(token, now: env.clock()))],
                text: "token \(token.id) was created earlier with this key; its secret is not shown again",
                code: "REPLAYED")
        }
        let label = try input[label]
        guard !label.isEmpty else { throw DomainError(.invalid, "the label may not be empty") }
        var expires: Date?
        if let day = input[Self.expires] {
            guard let end = endOfDay(day), end > env.clock() else {
                throw DomainError(.invalid, "expires= is in the past")
            }
            expires = end
        }
        let secret = TokenSecret.generate()
        let token = try await env.store.createToken(
            owner: user.login, label: label, expires: expires, secretHash: TokenSecret.hash(secret),
            prefix: String(secret.prefix(8)), claim: claim,
            audit: AuditEntry(
                actor: session.actor, command: "TOKEN CREATE", entity: "token:-",
                change: "token created for \(user.login)"))
        return .ok(
            "token \(token.id) created; copy the secret now, it is not shown again",
            [record(token, now: env.clock(), secret: secret)])
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let user = try session.requireUser()
        let owner = input[owner] ?? user.login
        if owner != user.login {
            guard env.policy.allows(user.role, .manageOthersTokens) else {
                throw DomainError(.forbidden, "only an administrator may list another user's tokens")
            }
            guard let account = try await env.store.user(login: owner) else {
                throw DomainError(.notFound, "no user \(owner)")
            }
            // An administrator manages the tokens of the users in their scope only.
            try env.requireReach(session, input.name, .scope(account.scope))
        }
        let now = env.clock()
        let records = try await env.store.tokens(owner: owner).map { record($0, now: now) }
        return .ok(records.count == 1 ? "1 token" : "\(records.count) tokens", records)
    }

    static func revoke(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let user = try session.requireUser()
        let id = try input[Common.id]
        // Someone else's token is "not found" to anyone but an administrator: token ids are sequential, and
        // neither a token's existence nor its owner is anyone else's business.
        guard let token = try await env.store.token(id: id) else { throw DomainError(.notFound, "no token \(id)") }
        if token.owner != user.login {
            guard env.policy.allows(user.role, .manageOthersTokens),
                let owner = try await env.store.user(login: token.owner)
            else { throw DomainError(.notFound, "no token \(id)") }
            // An administrator manages the tokens of the users in their scope only (CLP1.md §10.2).
            try env.requireReach(session, input.name, .scope(owner.scope))
        }
        let revoked = try await env.store.revokeToken(
            id: id,
            audit: AuditEntry(
                actor: session.actor, command: "TOKEN REVOKE", entity: "token:\(id)", change: "revoked"))
        await env.registry.revoke(token: id)
        var reply = Reply.ok("token \(id) revoked", [record(revoked, now: env.clock())])
        if session.auth?.tokenID == id {
            // This very session stands on the token: it ends right after the answer.
            reply.trailer = [
                .bye(code: ErrorCode.sessionRevoked.rawValue, text: "the token of this session was revoked")
            ]
            reply.closeAfter = true
        }
        return reply
    }
}

/// METRICS: the server's own figures, for administrators.
enum AdminCommands {
    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "METRICS", group: .audit, summary: "The server's metrics in Prometheus text format (admins).",
            access: .roles([.admin]), reach: .anywhere, who: "admin (any scope).", handler: metrics)
    ]

    static func metrics(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let lines = env.metrics.exposition().filter { !$0.isEmpty }
        return .ok("\(lines.count) lines", lines.map { Record("METRIC", [Field("line", $0)]) })
    }
}
