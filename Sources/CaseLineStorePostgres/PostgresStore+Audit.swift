public import CaseLineDomain
import CaseLineStore
public import Foundation

extension PostgresStore {
    public func appendAudit(_ entry: AuditEntry) async throws {
        let now = clock()
        try await write { session in try await Journal.append(entry, at: now, in: session) }
    }

    public func recordReads(_ entries: [AuditEntry]) async throws {
        guard !entries.isEmpty else { return }
        let now = clock()
        try await write { session in try await Journal.append(entries, at: now, in: session) }
    }

    public func auditRecords(
        actor: String?, entity: String?, after: Date?, before: Date?, limit: Int, offset: Int
    ) async throws -> (records: [AuditRecord], total: Int) {
        var conditions: [String] = []
        var arguments: [String] = []
        if let actor {
            conditions.append("(actor = ? OR on_behalf_of = ?)")
            arguments += [actor, actor]
        }
        if let entity {
            conditions.append("entity = ?")
            arguments.append(entity)
        }
        if let after {
            conditions.append("at >= ?")
            arguments.append(Timestamp.format(after))
        }
        if let before {
            conditions.append("at < ?")
            arguments.append(Timestamp.format(before))
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let values = arguments
        return try await snapshot { session in
            let total: Int = try await session.row("SELECT count(*) AS n FROM audit" + filter, values)?["n"] ?? 0
            let records = try await session.rows(
                "SELECT * FROM audit" + filter + " ORDER BY seq LIMIT ? OFFSET ?", values + [limit, offset]
            ).map(Journal.record)
            return (records, total)
        }
    }

    public func auditRecords(entity: String?, limit: Int, offset: Int) async throws -> [AuditRecord] {
        try await read { session in
            if let entity {
                return try await session.rows(
                    "SELECT * FROM audit WHERE entity = ? ORDER BY seq LIMIT ? OFFSET ?", [entity, limit, offset]
                ).map(Journal.record)
            }
            return try await session.rows("SELECT * FROM audit ORDER BY seq LIMIT ? OFFSET ?", [limit, offset]).map(
                Journal.record)
        }
    }

    /// Streams the whole trail, page by page in one snapshot, through the chain's verifier.
    public func verifyAudit() async throws -> AuditVerification {
        try await snapshot { session in
            var verifier = AuditChain.Verifier()
            var after: Int64 = 0
            page: while true {
                let rows = try await session.rows("SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT 5000", [after])
                for row in rows {
                    guard verifier.add(Journal.record(row), storedAt: row["at"]) else { break page }
                    after = row["seq"]
                }
                if rows.count < 5000 { break }
            }
            return verifier.result
        }
    }
}
