public import CaseLineDomain
public import CaseLineStore
import Foundation

extension PostgresStore {
    /// Ends a dry run: everything was written and checked inside the transaction; throwing rolls it back.
    struct DryRunFinished: Error {
        let outcome: HouseholdImportOutcome
    }

    /// One transaction, as the SQLite store's: the batch's audit record first (taking the journal's lock, so a
    /// large import holds back other writers' commits until it ends), then each household created, its key
    /// remembered, then the campaign step. The import keys' primary key refuses a file imported twice at once
    /// on two nodes; the later one, run again, finds the keys and answers as for a file imported before.
    public func importHouseholds(
        _ households: [HouseholdImport], campaignRevision: Int?, dryRun: Bool, audit: AuditEntry,
        then: @escaping @Sendable ([String: String]) throws -> ImportSteps
    ) async throws -> HouseholdImportOutcome {
        let now = clock()
        do {
            return try await write { session in
                var outcome = HouseholdImportOutcome(ids: [:], created: [], unchanged: [], members: 0, campaign: nil)
                var batchRecorded = false
                for item in households {
                    if let existing = item.existing {
                        guard let number = Self.number(existing, prefix: "HH"),
                            try await session.row("SELECT 1 FROM household WHERE id = ?", [number]) != nil
                        else { throw DomainError(.notFound, "no household \(existing) (key \(item.key))") }
                        outcome.ids[item.key] = existing
                        continue
                    }
                    if let row = try await session.row(
                        "SELECT household, fingerprint FROM import_key WHERE key = ?", [item.key])
                    {
                        let id = "HH-\(row["household"] as Int64)"
                        guard item.matches(row["fingerprint"] as String) else {
                            throw DomainError(
                                .conflict,
                                "household \(item.key) (\(item.place)) was imported before as \(id) "
                                    + "with other content: correct it with HOUSEHOLD commands, not by importing again",
                                details: [("household", id)])
                        }
                        outcome.ids[item.key] = id
                        outcome.unchanged.append(item.key)
                        continue
                    }
                    let household = item.household
                    if !batchRecorded {
                        try await Journal.append(audit, at: now, in: session)
                        batchRecorded = true
                    }
                    try await Self.located(item) {
                        try await Self.requireUniqueIDNumber(household.idNumber, except: nil, session)
                    }
                    guard
                        let number: Int64 = try await session.row(
                            """
                            INSERT INTO household (commune, village, area, head, gender, birth, ethnicity, id_number,
                                                   successor, created_at, updated_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                            """,
                            [
                                household.commune, household.village, household.area.rawValue, household.head,
                                household.gender.rawValue, household.birth, household.ethnicity, household.idNumber,
                                household.successor, Timestamp.format(now), Timestamp.format(now),
                            ])?["id"]
                    else { throw StoreSQLError("the household insert returned no id") }
                    for member in item.members {
                        try await Self.located(item) {
                            try await Self.requireUniqueIDNumber(member.idNumber, except: nil, session)
                        }
                        _ = try await Self.insertMember(member, household: number, session)
                        outcome.members += 1
                    }
                    try await session.execute(
                        """
                        INSERT INTO import_key (key, household, fingerprint, imported_at, source, line, import_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                        [
                            item.key, number, item.fingerprint, Timestamp.format(now), item.mark?.source,
                            item.mark?.line, item.mark?.importID,
                        ])
                    var change =
                        "imported (\(item.place), key \(item.key)): commune=\(household.commune)"
                    change +=
                        " area=\(household.area.rawValue) gender=\(household.gender.rawValue); village: \(household.village)"
                    change += "; head: \(household.head); birth: \(household.birth)"
                    if let idNumber = household.idNumber { change += "; id-number: \(idNumber)" }
                    if let successor = household.successor { change += "; successor=\(successor)" }
                    change += "; members=\(item.members.count)"
                    // Each member as HOUSEHOLD ADD-MEMBER audits one (identity values are redacted for readers who
                    // may not see them).
                    for member in item.members {
                        change += "; member: \(member.relation); name: \(member.name); birth: \(member.birth)"
                        if let idNumber = member.idNumber { change += "; id-number: \(idNumber)" }
                    }
                    try await Journal.append(
                        AuditEntry(
                            actor: audit.actor, command: audit.command, entity: "household:HH-\(number)", change: change
                        ),
                        at: now, in: session)
                    outcome.ids[item.key] = "HH-\(number)"
                    outcome.created.append(item.key)
                }
                let steps = try then(outcome.ids)
                for build in steps.open {
                    if !batchRecorded {
                        try await Journal.append(audit, at: now, in: session)
                        batchRecorded = true
                    }
                    outcome.opened.append(try await Self.insertCampaign(build, at: now, session))
                }
                if let opening = steps.update {
                    let campaign = opening.step.campaign
                    guard let number = Self.number(campaign.id, prefix: "RC"), let campaignRevision else {
                        throw DomainError(.notFound, "no review campaign \(campaign.id)")
                    }
                    if !batchRecorded {
                        try await Journal.append(audit, at: now, in: session)
                        batchRecorded = true
                    }
                    try await Self.store(
                        opening.step, number: number, expectedRevision: campaignRevision, audit: opening.audit,
                        at: now, session)
                    outcome.campaign = campaign
                }
                if dryRun { throw DryRunFinished(outcome: outcome) }
                return outcome
            }
        } catch let finished as DryRunFinished {
            return finished.outcome
        }
    }

    /// A refusal about one household of the file, naming its lines.
    static func located(_ item: HouseholdImport, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as DomainError {
            throw DomainError(
                error.code, "\(item.place) (household \(item.key)): \(error.message)",
                details: error.details)
        }
    }
}
