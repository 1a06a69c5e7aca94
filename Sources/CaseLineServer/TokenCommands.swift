import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// TOKEN CREATE, TOKEN LIST, TOKEN REVOKE, and USER UNLOCK and METRICS for admins.
enum TokenCommands {
    static let handlers: [String: CommandHandler] = [
        "TOKEN CREATE": create, "TOKEN LIST": list, "TOKEN REVOKE": revoke, "USER UNLOCK": unlock, "METRICS": metrics,
    ]

    static func record(_ token: APIToken, now: Date, secret: String? = nil) -> Record {
        var fields = [Field("id", token.id), Field("owner", token.owner), Field("label", token.label)]
        if let secret { fields.append(Field("secret", secret)) }
        fields.append(Field("created", Timestamp.format(token.created)))
        if let expires = token.expires { fields.append(Field("expires", Timestamp.format(expires))) }
        if let used = token.lastUsed { fields.append(Field("last-used", Timestamp.format(used))) }
        if let revoked = token.revoked { fields.append(Field("revoked", Timestamp.format(revoked))) }
        let state = token.revoked != nil ? "revoked" : token.isUsable(at: now) ? "active" : "expired"
        fields.append(Field("state", state))
        return Record("TOKEN", fields)
    }

    static func create(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws -> Reply {
        let user = session.user!
        let label = command.arguments[0]
        var expires: Date?
        if let day = command[option: "expires"] {
            // A token expires at the end of the given day, in the server's zone (UTC+7 by default).
            guard let start = try? Date(day + "T00:00:00+07:00", strategy: .iso8601) else {
                throw DomainError(.invalid, "expires= is not a date")
            }
            expires = start.addingTimeInterval(86_400)
            guard expires! > env.clock() else { throw DomainError(.invalid, "expires= is in the past") }
        }
        let secret = TokenSecret.generate()
        let token = try await env.store.createToken(
            owner: user.login, label: label, expires: expires, secretHash: TokenSecret.hash(secret),
            audit: AuditEntry(
                actor: session.actor, command: "TOKEN CREATE \(label)", entity: "token:-", change: "token created for \(user.login)"))
        return .ok("token created; the secret is shown only now", [record(token, now: env.clock(), secret: secret)])
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws -> Reply {
        let user = session.user!
        let owner = command[option: "user"] ?? user.login
        if owner != user.login && !env.policy.allows(user.role, .manageOthersTokens) {
            throw DomainError(.forbidden, "only an administrator may list another user's tokens")
        }
        let now = env.clock()
        let records = try await env.store.tokens(owner: owner).map { record($0, now: now) }
        return .ok("\(records.count) tokens", records)
    }

    static func revoke(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws -> Reply {
        let user = session.user!
        let id = command.arguments[0]
        guard let token = try await env.store.token(id: id),
            token.owner == user.login || env.policy.allows(user.role, .manageOthersTokens)
        else { throw DomainError(.notFound, "no token \(id)") }
        try await env.store.revokeToken(
            id: id,
            audit: AuditEntry(actor: session.actor, command: "TOKEN REVOKE \(id)", entity: "token:\(id)", change: "revoked"))
        await env.registry.revoke(token: id)
        return .ok("token \(id) revoked; sessions using it end at their next command")
    }

    static func unlock(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws -> Reply {
        let login = command.arguments[0]
        try await env.store.unlock(
            login: login,
            audit: AuditEntry(actor: session.actor, command: "USER UNLOCK \(login)", entity: "user:\(login)", change: "unlocked"))
        return .ok("\(login) unlocked")
    }

    static func metrics(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws -> Reply {
        let lines = env.metrics.exposition()
        return .ok("\(lines.count) lines of Prometheus text", lines.map { Record("METRIC", [Field("line", $0)]) })
    }
}
