import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// TOKEN CREATE, TOKEN LIST, TOKEN REVOKE.
enum TokenCommands {
    static let handlers: [String: CommandHandler] = [
        "TOKEN CREATE": create, "TOKEN LIST": list, "TOKEN REVOKE": revoke,
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

    static func create(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws
        -> Reply
    {
        let user = session.user!
        if session.auth?.tokenID != nil {
            // A leaked token must not be able to breed more tokens.
            throw DomainError(.forbidden, "a session opened with a token cannot create tokens; log in with LOGIN")
        }
        let claim = Idempotency.claim(command, session)
        if let id = try await Idempotency.earlier(claim, kind: "token", env: env),
            let token = try await env.store.token(id: id)
        {
            return Reply(
                responses: [.record(record(token, now: env.clock()))],
                text: "token \(token.id) was created earlier with this key; its secret is not shown again",
                code: "REPLAYED")
        }
        let label = command.arguments[0]
        guard !label.isEmpty else { throw DomainError(.invalid, "the label may not be empty") }
        var expires: Date?
        if let day = command[option: "expires"] {
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

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws -> Reply
    {
        let user = session.user!
        let owner = command[option: "user"] ?? user.login
        if owner != user.login {
            guard env.policy.allows(user.role, .manageOthersTokens) else {
                throw DomainError(.forbidden, "only an administrator may list another user's tokens")
            }
            guard let account = try await env.store.user(login: owner) else {
                throw DomainError(.notFound, "no user \(owner)")
            }
            // An administrator manages the tokens of the users in their scope only.
            try env.requireReach(session, command.name, .scope(account.scope))
        }
        let now = env.clock()
        let records = try await env.store.tokens(owner: owner).map { record($0, now: now) }
        return .ok(records.count == 1 ? "1 token" : "\(records.count) tokens", records)
    }

    static func revoke(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws
        -> Reply
    {
        let user = session.user!
        let id = command.arguments[0]
        // Someone else's token is "not found" to anyone but an administrator: token ids are sequential, and
        // neither a token's existence nor its owner is anyone else's business.
        guard let token = try await env.store.token(id: id) else { throw DomainError(.notFound, "no token \(id)") }
        if token.owner != user.login {
            guard env.policy.allows(user.role, .manageOthersTokens),
                let owner = try await env.store.user(login: token.owner)
            else { throw DomainError(.notFound, "no token \(id)") }
            // An administrator manages the tokens of the users in their scope only (CLP1.md §10.2).
            try env.requireReach(session, command.name, .scope(owner.scope))
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
    static let handlers: [String: CommandHandler] = ["METRICS": metrics]

    static func metrics(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws
        -> Reply
    {
        let lines = env.metrics.exposition().filter { !$0.isEmpty }
        return .ok("\(lines.count) lines", lines.map { Record("METRIC", [Field("line", $0)]) })
    }
}
