public import CaseLineDomain
import CaseLineStore
public import Foundation

extension PostgresStore {
    static func token(_ row: SQLRow) -> APIToken {
        APIToken(
            id: "TK-\(row["id"] as Int64)", owner: row["owner"], label: row["label"], prefix: row["secret_prefix"],
            created: Timestamp.parse(row["created"]) ?? Date(timeIntervalSince1970: 0),
            expires: (row["expires"] as String?).flatMap(Timestamp.parse),
            revoked: (row["revoked"] as String?).flatMap(Timestamp.parse),
            lastUsed: (row["last_used"] as String?).flatMap(Timestamp.parse))
    }

    public func createToken(
        owner: String, label: String, expires: Date?, secretHash: String, prefix: String, claim: IdempotencyClaim?,
        audit: AuditEntry
    ) async throws -> APIToken {
        let now = clock()
        return try await write { session in
            guard
                let row = try await session.row(
                    """
                    INSERT INTO api_token (owner, label, secret_hash, secret_prefix, created, expires)
                    VALUES (?, ?, ?, ?, ?, ?) RETURNING *
                    """,
                    [owner, label, secretHash, prefix, Timestamp.format(now), expires.map(Timestamp.format)])
            else { throw StoreSQLError("the token insert returned no row") }
            let token = Self.token(row)
            try await IdempotencyLog.record(claim, entity: "token:\(token.id)", at: now, in: session)
            var entry = audit
            entry.entity = "token:\(token.id)"
            try await Journal.append(entry, at: now, in: session)
            return token
        }
    }

    public func token(secretHash: String) async throws -> (token: APIToken, owner: User)? {
        try await read { session in
            guard let row = try await session.row("SELECT * FROM api_token WHERE secret_hash = ?", [secretHash]),
                let owner = try await session.row("SELECT * FROM users WHERE login = ?", [row["owner"] as String])
            else { return nil }
            return (Self.token(row), Self.user(owner))
        }
    }

    public func token(id: String) async throws -> APIToken? {
        guard let number = Self.number(id, prefix: "TK") else { return nil }
        return try await read { session in
            try await session.row("SELECT * FROM api_token WHERE id = ?", [number]).map(Self.token)
        }
    }

    public func tokens(owner: String?) async throws -> [APIToken] {
        try await read { session in
            if let owner {
                return try await session.rows("SELECT * FROM api_token WHERE owner = ? ORDER BY id", [owner]).map(
                    Self.token)
            }
            return try await session.rows("SELECT * FROM api_token ORDER BY id").map(Self.token)
        }
    }

    public func revokeToken(id: String, audit: AuditEntry) async throws -> APIToken {
        guard let number = Self.number(id, prefix: "TK") else { throw DomainError(.notFound, "no token \(id)") }
        let now = clock()
        return try await write { session in
            let changed = try await session.execute(
                "UPDATE api_token SET revoked = ? WHERE id = ? AND revoked IS NULL RETURNING 1",
                [Timestamp.format(now), number])
            if changed == 1 { try await Journal.append(audit, at: now, in: session) }
            guard let row = try await session.row("SELECT * FROM api_token WHERE id = ?", [number]) else {
                throw DomainError(.notFound, "no token \(id)")
            }
            return Self.token(row)
        }
    }

    public func touchToken(id: String, at date: Date) async throws {
        guard let number = Self.number(id, prefix: "TK") else { return }
        try await write { session in
            try await session.execute(
                "UPDATE api_token SET last_used = ? WHERE id = ?", [Timestamp.format(date), number])
        }
    }
}
