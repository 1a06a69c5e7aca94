import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation
import Logging

/// HISTORY, AUDIT VERIFY, AUDIT LIST (CLP1.md §10.6): reading the append-only, hash-chained audit trail.
enum AuditCommands {
    static let entity = Param.entity("entity", kinds: EntityKind.allCases)
    static let actor = Param.id("actor")
    static let after = Param.date("after")
    static let before = Param.date("before")
    static let auditors: CommandDefinition.Access = .roles([.admin, .auditor])

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "HISTORY", group: .audit, summary: "The audit records of one entity, oldest first.",
            positionals: [entity.required], options: [Common.limit, Common.offset], access: .authenticated,
            who:
                "admin and auditor, for entities in their scope; any other role, for an entity it may read with the matching `SHOW` command (its own user and tokens included) — a delegation only by its delegator and its delegate (`NOT-FOUND` to anyone else, as for `DELEGATION END`).",
            handler: history),
        CommandDefinition(
            "AUDIT VERIFY", group: .audit, summary: "Check the whole audit hash chain; names the first broken link.",
            access: auditors, reach: .anywhere,
            who: "admin, auditor (any scope: the answer reveals only a count and a hash).", handler: verify),
        CommandDefinition(
            "AUDIT LIST", group: .audit, summary: "Audit records, filtered by actor, entity or date.",
            options: [actor, entity, after, before, Common.limit, Common.offset], access: auditors,
            who:
                "admin, auditor; records about entities in their scope (records about users, tokens and failed logins: those of users in their scope; failed logins for names without an account: national scope only).",
            handler: list),
    ]

    static func record(_ audit: AuditRecord, redactContacts: Bool, redactIdentity: Bool = false) -> Record {
        var fields = [
            Field("seq", String(audit.sequence)), Field("at", Timestamp.format(audit.at)),
            Field("actor", audit.entry.actor.login),
        ]
        if let behalf = audit.entry.actor.onBehalfOf { fields.append(Field("on-behalf-of", behalf)) }
        var change = audit.entry.change
        if redactContacts {
            change = change.split(separator: ";", omittingEmptySubsequences: false).map { item in
                let trimmed = item.trimmingCharacters(in: .whitespaces)
                return trimmed.hasPrefix("email:") || trimmed.hasPrefix("phone:")
                    ? " " + trimmed.prefix { $0 != ":" } + ": <redacted>" : String(item)
            }.joined(separator: ";")
            if change.hasPrefix(" ") { change.removeFirst() }
        }
        if redactIdentity && audit.entry.entity.hasPrefix("household:") { change = redactingIdentity(change) }
        fields += [
            Field("conn", audit.entry.actor.connection), Field("command", audit.entry.command),
            Field("entity", audit.entry.entity), Field("change", change), Field("hash", audit.hash),
        ]
        return Record("AUDIT", fields)
    }

    /// Household changes are `key: value` items joined by `; ` (HouseholdCommands); the values of identity
    /// keys become `<redacted>`. A `; ` inside a value (a name holding one) does not start an item, so no part
    /// of an identity value escapes.
    static func redactingIdentity(_ change: String) -> String {
        var items: [String] = []
        for piece in change.components(separatedBy: "; ") {
            let key = piece.prefix { $0 != ":" }
            let startsItem =
                piece.contains(":") && !key.isEmpty
                && key.allSatisfy { $0.isASCII && ($0.isLetter || $0 == "-" || $0 == " ") }
            if startsItem || items.isEmpty { items.append(piece) } else { items[items.count - 1] += "; " + piece }
        }
        return items.map { item in
            let key = String(item.prefix { $0 != ":" })
            return HouseholdRules.identityKeys.contains(key) ? "\(key): <redacted>" : item
        }.joined(separator: "; ")
    }

    static func placement(_ entity: String, _ env: ServerEnvironment) async throws -> Placement? {
        let parts = entity.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        let (kind, id) = (parts[0], parts[1])
        switch kind {
        case "user":
            return try await env.store.user(login: id).map { .scope($0.scope) }
        case "token":
            guard let token = try await env.store.token(id: id),
                let owner = try await env.store.user(login: token.owner)
            else { return nil }
            return .scope(owner.scope)
        case "unit":
            return UnitRef(wire: id).flatMap { env.units.unit($0) }.map { _ in .everywhere }
        case "committee":
            return try await env.store.committee(id: id).map { .unit(UnitRef(.current, $0.unit)) }
        case "assignment":
            return try await env.store.assignment(id: id).map { .unit(UnitRef(.current, $0.commune)) }
        case "task":
            return try await env.store.task(id: id).map {
                .unit(UnitRef(stored: $0.commune))
            }
        case "household":
            return try await env.store.household(id: id).map {
                .unit(UnitRef(stored: $0.commune))
            }
        case "case":
            return try await env.store.caseFile(id: id).map { .unit(UnitRef(stored: $0.commune)) }
        case "chain":
            return CaseFile.Kind(rawValue: id).map { _ in .everywhere }
        case "review":
            return try await env.store.reviewCampaign(id: id).map { .unit(UnitRef(stored: $0.commune)) }
        case "allocation":
            return try await env.store.allocation(id: id).map { .unit(UnitRef(stored: $0.allocation.unit)) }
        case "office":
            return try await env.store.officeHoldings(unit: nil, login: nil).first { $0.id == id }.map {
                .unit(UnitRef(stored: $0.office.unit))
            }
        case "delegation":
            guard let delegation = try await env.store.delegation(id: id),
                let delegator = try await env.store.user(login: delegation.delegator)
            else { return nil }
            return .scope(delegator.scope)
        default:
            // Every entity kind HISTORY names is placed above; anything else names nothing.
            return nil
        }
    }

    static func history(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let caller = try session.requireUser()
        let entity = try input[entity.required]
        guard let placement = try await placement(entity, env) else {
            throw DomainError(.notFound, "no \(entity)")
        }
        guard env.reaches(session, input.name, placement) else {
            throw DomainError(.outOfScope, "\(entity) is outside your scope")
        }
        let isOwn =
            entity == "user:\(caller.login)"
            || (entity.hasPrefix("token:")
                && {
                    if case .scope = placement { return true } else { return false }
                }())
        if entity.hasPrefix("user:") || entity.hasPrefix("token:"), !isOwn,
            !UserCommands.readersOfContacts.contains(caller.role)
        {
            throw DomainError(.forbidden, "your role (\(caller.role.rawValue)) may not read \(entity)")
        }
        if entity.hasPrefix("token:"), caller.role != .admin, caller.role != .auditor,
            try await env.store.token(id: String(entity.dropFirst("token:".count)))?.owner != caller.login
        {
            throw DomainError(.forbidden, "only admins and auditors read other users' tokens")
        }
        // A delegation is read by its two parties (DELEGATION LIST shows them nothing else), and by admins and
        // auditors of its delegator's scope; to anyone else it does not exist, as for DELEGATION END.
        if entity.hasPrefix("delegation:"), caller.role != .admin, caller.role != .auditor {
            let delegation = try await env.store.delegation(id: String(entity.dropFirst("delegation:".count)))
            guard let delegation, delegation.delegator == caller.login || delegation.delegate == caller.login else {
                throw DomainError(.notFound, "no \(entity)")
            }
        }
        let redact = !UserCommands.readersOfContacts.contains(caller.role) && entity != "user:\(caller.login)"
        // Identity values in a household's history are for those who see them in HOUSEHOLD SHOW.
        var redactIdentity = false
        if entity.hasPrefix("household:"),
            let household = try await env.store.household(id: String(entity.dropFirst("household:".count)))
        {
            redactIdentity = try await !HouseholdCommands.viewer(env, session, input).seesIdentity(household.placement)
        }
        let (found, total) = try await env.store.auditRecords(
            actor: nil, entity: entity, after: nil, before: nil, limit: Paging.window(input).limit,
            offset: Paging.window(input).offset)
        // Identity values sent in full are an identity read like HOUSEHOLD SHOW's, and recorded the same way.
        if entity.hasPrefix("household:"), !redactIdentity,
            found.contains(where: { redactingIdentity($0.entry.change) != $0.entry.change })
        {
            try await env.store.recordReads([
                AuditEntry(
                    actor: session.actor, command: input.name, entity: entity,
                    change: "read: identity fields sent")
            ])
        }
        let records =
            found.map { record($0, redactContacts: redact, redactIdentity: redactIdentity) } + [
                pageRecord(input, found.count, total)
            ]
        return .ok(Paging.summary(records, "records"), records)
    }

    static func pageRecord(_ input: CommandInput, _ returned: Int, _ total: Int) -> Record {
        let (limit, offset) = Paging.window(input)
        return Record(
            "PAGE",
            [
                Field("offset", String(offset)), Field("limit", String(limit)), Field("returned", String(returned)),
                Field("total", String(total)),
            ])
    }

    static func verify(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let result = try await env.store.verifyAudit()
        var fields = [Field("records", String(result.records)), Field("head", result.head)]
        if let broken = result.firstBroken {
            fields += [
                Field("status", "broken"), Field("first-broken", String(broken)),
                Field("reason", result.gap ? "gap" : "hash"),
            ]
            env.logger.critical("audit chain broken", metadata: ["caseline.audit-seq": "\(broken)"])
            return .ok("audit chain broken at record \(broken)", [Record("VERIFY", fields)])
        }
        fields.append(Field("status", "ok"))
        return .ok("audit chain verified: \(result.records) records", [Record("VERIFY", fields)])
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let caller = try session.requireUser()
        let after = try input[after].map { try day($0) }
        let before = try input[before].map { try day($0) }
        if let after, let before, after > before { throw DomainError(.invalid, "after= is later than before=") }
        let entity = input[entity]
        if let entity {
            if let placement = try await placement(entity, env), !env.reaches(session, input.name, placement) {
                throw DomainError(.outOfScope, "\(entity) is outside your scope")
            }
        }
        let (limit, offset) = Paging.window(input)
        if caller.scope == .national {
            let (found, total) = try await env.store.auditRecords(
                actor: input[actor], entity: entity, after: after, before: before, limit: limit,
                offset: offset)
            let records =
                found.map { record($0, redactContacts: false, redactIdentity: true) } + [
                    pageRecord(input, found.count, total)
                ]
            return .ok(Paging.summary(records, "records"), records)
        }
        // A province or commune auditor sees the records of entities in their scope only.
        let (all, _) = try await env.store.auditRecords(
            actor: input[actor], entity: entity, after: after, before: before, limit: Int.max, offset: 0)
        var visible: [AuditRecord] = []
        var cache: [String: Bool] = [:]
        for audit in all {
            let key = audit.entry.entity
            if cache[key] == nil {
                cache[key] = try await placement(key, env).map { env.reaches(session, input.name, $0) } ?? false
            }
            if cache[key] == true { visible.append(audit) }
        }
        let records = Paging.page(visible, input) { record($0, redactContacts: false, redactIdentity: true) }
        return .ok(Paging.summary(records, "records"), records)
    }

    static func day(_ text: String) throws -> Date {
        guard let date = ServerEnvironment.startOfDay(text) else { throw DomainError(.invalid, "bad date \(text)") }
        return date
    }
}
