public import CaseLineDomain
public import CaseLineStore
import Foundation
import GRDB

/// Household imports (Store.importHouseholds): the whole file in one savepoint, so a refusal anywhere leaves
/// nothing behind, and the keys of imported households remembered with their fingerprints, so that the same
/// file imported again changes nothing.
extension SQLiteStore {
    /// Ends a dry run: everything was written and checked inside the savepoint; throwing rolls it back.
    struct DryRunFinished: Error {
        let outcome: HouseholdImportOutcome
    }

    public func importHouseholds(
        _ households: [HouseholdImport], campaignRevision: Int?, dryRun: Bool, audit: AuditEntry,
        then: @escaping @Sendable ([String: String]) throws -> ImportSteps
    ) async throws -> HouseholdImportOutcome {
        let now = clock()
        do {
            return try await write { db in
                var outcome = HouseholdImportOutcome(ids: [:], created: [], unchanged: [], members: 0, campaign: nil)
                // The batch's record comes first; an import that changes nothing leaves no record at all.
                var batchRecorded = false
                func recordBatch() throws {
                    if !batchRecorded { try AuditChain.append(audit, at: now, in: db) }
                    batchRecorded = true
                }
                for item in households {
                    if let existing = item.existing {
                        guard let number = Self.number(existing, prefix: "HH"),
                            try Self.fetchHousehold(number, db) != nil
                        else { throw DomainError(.notFound, "no household \(existing) (key \(item.key))") }
                        outcome.ids[item.key] = existing
                        continue
                    }
                    if let row = try Row.fetchOne(
                        db.cachedStatement(sql: "SELECT household, fingerprint FROM import_key WHERE key = ?"),
                        arguments: [item.key])
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
                    try recordBatch()
                    try Self.located(item) { try Self.requireUniqueIDNumber(household.idNumber, except: nil, db) }
                    try db.executeCached(
                        sql: """
                            INSERT INTO household (commune, village, area, head, gender, birth, ethnicity, id_number,
                                                   successor, created_at, updated_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            household.commune, household.village, household.area.rawValue, household.head,
                            household.gender.rawValue, household.birth, household.ethnicity, household.idNumber,
                            household.successor, Timestamp.format(now), Timestamp.format(now),
                        ])
                    let number = db.lastInsertedRowID
                    for member in item.members {
                        try Self.located(item) { try Self.requireUniqueIDNumber(member.idNumber, except: nil, db) }
                        try db.executeCached(
                            sql: """
                                INSERT INTO person (household, name, gender, birth, relation, id_number, ethnicity,
                                                    disability, social_allowance, merit)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                                """,
                            arguments: [
                                number, member.name, member.gender.rawValue, member.birth, member.relation,
                                member.idNumber, member.ethnicity, member.disability?.rawValue,
                                member.socialAllowance, member.merit,
                            ])
                        outcome.members += 1
                    }
                    try db.executeCached(
                        sql: """
                            INSERT INTO import_key (key, household, fingerprint, imported_at, source, line, import_id)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
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
                    // Each member as HOUSEHOLD ADD-MEMBER audits one (identity values are redacted for readers
                    // who may not see them).
                    for member in item.members {
                        change += "; member: \(member.relation); name: \(member.name); birth: \(member.birth)"
                        if let idNumber = member.idNumber { change += "; id-number: \(idNumber)" }
                    }
                    try AuditChain.append(
                        AuditEntry(
                            actor: audit.actor, command: audit.command, entity: "household:HH-\(number)", change: change
                        ),
                        at: now, in: db)
                    outcome.ids[item.key] = "HH-\(number)"
                    outcome.created.append(item.key)
                }
                let steps = try then(outcome.ids)
                for build in steps.open {
                    try recordBatch()
                    outcome.opened.append(try Self.insertCampaign(build, at: now, db))
                }
                if let opening = steps.update {
                    let campaign = opening.step.campaign
                    guard let number = Self.number(campaign.id, prefix: "RC"), let campaignRevision else {
                        throw DomainError(.notFound, "no review campaign \(campaign.id)")
                    }
                    try recordBatch()
                    try Self.store(
                        opening.step, number: number, expectedRevision: campaignRevision, audit: opening.audit,
                        at: now, db)
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
    static func located(_ item: HouseholdImport, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as DomainError {
            throw DomainError(
                error.code, "\(item.place) (household \(item.key)): \(error.message)",
                details: error.details)
        }
    }
}
