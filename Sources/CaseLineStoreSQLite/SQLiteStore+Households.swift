public import CaseLineDomain
import CaseLineStore
import Foundation
import GRDB

extension SQLiteStore {
    /// Size counts the head and the current members; the class is the latest assessed year's.
    static let householdQuery = """
        SELECT h.*,
            1 + (SELECT count(*) FROM person p WHERE p.household = h.id AND p.removed_at IS NULL) AS size,
            (SELECT a.class FROM assessment a WHERE a.household = h.id ORDER BY a.year DESC LIMIT 1) AS class,
            (SELECT a.year FROM assessment a WHERE a.household = h.id ORDER BY a.year DESC LIMIT 1) AS class_year
        FROM household h
        """

    static func household(_ row: Row) -> Household {
        Household(
            id: "HH-\(row["id"] as Int64)", commune: row["commune"], village: row["village"],
            area: Household.Area(rawValue: row["area"]) ?? .rural, head: row["head"],
            gender: Household.Gender(rawValue: row["gender"]) ?? .male, birth: row["birth"],
            ethnicity: row["ethnicity"], idNumber: row["id_number"], successor: row["successor"], size: row["size"],
            classification: (row["class"] as String?).flatMap(PovertyStandard.Classification.init(rawValue:)),
            classYear: row["class_year"],
            createdAt: Timestamp.parse(row["created_at"]) ?? Date(timeIntervalSince1970: 0),
            updatedAt: Timestamp.parse(row["updated_at"]) ?? Date(timeIntervalSince1970: 0),
            revision: row["revision"])
    }

    static func fetchHousehold(_ number: Int64, _ db: Database) throws -> Household? {
        try Row.decodeOne(db, sql: householdQuery + " WHERE h.id = ?", arguments: [number], as: household)
    }

    public func households(communes: Set<String>?) async throws -> [Household] {
        try readNow { db in
            guard let communes else { return try Row.decodeAll(db, sql: Self.householdQuery, as: Self.household) }
            guard !communes.isEmpty else { return [] }
            return try Row.decodeAll(
                try db.cachedStatement(sql: Self.householdQuery + " WHERE " + Self.among("h.commune")),
                arguments: [Self.json(communes.sorted())], as: Self.household)
        }
    }

    public func household(id: String) async throws -> Household? {
        guard let number = Self.number(id, prefix: "HH") else { return nil }
        return try readNow { db in try Self.fetchHousehold(number, db) }
    }

    public func household(idNumber: String) async throws -> Household? {
        try readNow { db in
            try Row.decodeOne(
                db, sql: Self.householdQuery + " WHERE h.id_number = ?", arguments: [idNumber], as: Self.household)
        }
    }

    /// Inside the transaction: another household's head already holds this ID number.
    static func requireUniqueIDNumber(_ idNumber: String?, except number: Int64?, _ db: Database) throws {
        guard let idNumber else { return }
        if let other = try Int64.fetchOne(
            db, sql: "SELECT id FROM household WHERE id_number = ? AND id IS NOT ?", arguments: [idNumber, number])
        {
            throw DomainError(
                .alreadyExists, "a household's head already has ID number \(idNumber)",
                details: [("household", "HH-\(other)")])
        }
        // One person, one number: a current member of any household counts as much as a head.
        if let other = try Int64.fetchOne(
            db, sql: "SELECT household FROM person WHERE id_number = ? AND removed_at IS NULL", arguments: [idNumber])
        {
            throw DomainError(
                .alreadyExists, "a member of household HH-\(other) already has ID number \(idNumber)",
                details: [("household", "HH-\(other)")])
        }
    }

    public func createHousehold(_ household: Household, claim: IdempotencyClaim?, audit: AuditEntry) async throws
        -> Household
    {
        let now = clock()
        return try await write { db in
            try Self.requireUniqueIDNumber(household.idNumber, except: nil, db)
            try db.executeCached(
                sql: """
                    INSERT INTO household (commune, village, area, head, gender, birth, ethnicity, id_number,
                                           created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    household.commune, household.village, household.area.rawValue, household.head,
                    household.gender.rawValue, household.birth, household.ethnicity, household.idNumber,
                    Timestamp.format(now), Timestamp.format(now),
                ])
            let number = db.lastInsertedRowID
            try IdempotencyLog.record(claim, entity: "household:HH-\(number)", at: now, in: db)
            var entry = audit
            entry.entity = "household:HH-\(number)"
            try AuditChain.append(entry, at: now, in: db)
            return try Self.fetchHousehold(number, db)!
        }
    }

    /// Raises the household's revision if it is still `expected` (`CONFLICT current=N` otherwise).
    static func bumpHousehold(_ number: Int64, expected: Int64, at now: Date, _ db: Database) throws {
        try db.executeCached(
            sql: "UPDATE household SET updated_at = ?, revision = revision + 1 WHERE id = ? AND revision = ?",
            arguments: [Timestamp.format(now), number, expected])
        try requireChanged(number, expected: expected, db)
    }

    static func requireChanged(_ number: Int64, expected: Int64, _ db: Database) throws {
        guard db.changesCount != 1 else { return }
        guard
            let current = try Int64.fetchOne(
                db, sql: "SELECT revision FROM household WHERE id = ?", arguments: [number])
        else { throw DomainError(.notFound, "no household HH-\(number)") }
        throw DomainError(
            .conflict, "household HH-\(number) changed since revision \(expected)",
            details: [("current", String(current))])
    }

    public func saveHousehold(_ household: Household, expectedRevision: Int64, audit: AuditEntry) async throws
        -> Household
    {
        guard let number = Self.number(household.id, prefix: "HH") else {
            throw DomainError(.notFound, "no household \(household.id)")
        }
        let now = clock()
        return try await write { db in
            // NOT-FOUND, then CONFLICT, then ALREADY-EXISTS, all before the update: the schema's UNIQUE on the ID
            // number would otherwise refuse it first, with a database error instead of the contract's refusal.
            guard
                let current = try Int64.fetchOne(
                    db, sql: "SELECT revision FROM household WHERE id = ?", arguments: [number])
            else { throw DomainError(.notFound, "no household \(household.id)") }
            guard current == expectedRevision else {
                throw DomainError(
                    .conflict, "household \(household.id) changed since revision \(expectedRevision)",
                    details: [("current", String(current))])
            }
            try Self.requireUniqueIDNumber(household.idNumber, except: number, db)
            try db.executeCached(
                sql: """
                    UPDATE household SET village = ?, area = ?, head = ?, gender = ?, birth = ?, ethnicity = ?,
                        id_number = ?, updated_at = ?, revision = revision + 1
                    WHERE id = ? AND revision = ?
                    """,
                arguments: [
                    household.village, household.area.rawValue, household.head, household.gender.rawValue,
                    household.birth, household.ethnicity, household.idNumber, Timestamp.format(now), number,
                    expectedRevision,
                ])
            try Self.requireChanged(number, expected: expectedRevision, db)
            try AuditChain.append(audit, at: now, in: db)
            return try Self.fetchHousehold(number, db)!
        }
    }

    static func member(_ row: Row) -> HouseholdMember {
        HouseholdMember(
            id: "P-\(row["id"] as Int64)", household: "HH-\(row["household"] as Int64)", name: row["name"],
            gender: Household.Gender(rawValue: row["gender"]) ?? .male, birth: row["birth"],
            relation: row["relation"], removed: (row["removed_at"] as String?) != nil, idNumber: row["id_number"],
            ethnicity: row["ethnicity"], disability: (row["disability"] as String?).flatMap(DisabilityLevel.init),
            socialAllowance: row["social_allowance"], merit: row["merit"])
    }

    public func householdMembers(household: String) async throws -> [HouseholdMember] {
        guard let number = Self.number(household, prefix: "HH") else { return [] }
        return try readNow { db in
            try Row.decodeAll(
                db, sql: "SELECT * FROM person WHERE household = ? AND removed_at IS NULL ORDER BY id",
                arguments: [number], as: Self.member)
        }
    }

    public func householdImportMark(household: String) async throws -> ImportMark? {
        guard let number = Self.number(household, prefix: "HH") else { return nil }
        return try readNow { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT key, source, line, import_id FROM import_key WHERE household = ?",
                    arguments: [number]),
                let source = row["source"] as String?, let line = row["line"] as Int?,
                let importID = row["import_id"] as String?
            else { return nil }
            return ImportMark(source: source, line: line, importID: importID, key: row["key"])
        }
    }

    public func householdMember(id: String) async throws -> HouseholdMember? {
        guard let number = Self.number(id, prefix: "P") else { return nil }
        return try readNow { db in
            try Row.decodeOne(db, sql: "SELECT * FROM person WHERE id = ?", arguments: [number], as: Self.member)
        }
    }

    public func addHouseholdMember(
        _ member: HouseholdMember, expectedRevision: Int64, claim: IdempotencyClaim?, audit: AuditEntry
    ) async throws -> (member: HouseholdMember, household: Household) {
        guard let household = Self.number(member.household, prefix: "HH") else {
            throw DomainError(.notFound, "no household \(member.household)")
        }
        let now = clock()
        return try await write { db in
            try Self.bumpHousehold(household, expected: expectedRevision, at: now, db)
            try Self.requireUniqueIDNumber(member.idNumber, except: nil, db)
            try db.executeCached(
                sql: """
                    INSERT INTO person (household, name, gender, birth, relation, id_number, ethnicity, disability,
                                        social_allowance, merit)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    household, member.name, member.gender.rawValue, member.birth, member.relation, member.idNumber,
                    member.ethnicity, member.disability?.rawValue, member.socialAllowance, member.merit,
                ])
            let id = db.lastInsertedRowID
            try IdempotencyLog.record(claim, entity: "person:P-\(id)", at: now, in: db)
            var entry = audit
            entry.change = entry.change.replacingOccurrences(of: "P-?", with: "P-\(id)")
            try AuditChain.append(entry, at: now, in: db)
            let added = try Row.decodeOne(
                db, sql: "SELECT * FROM person WHERE id = ?", arguments: [id],
                as: Self.member)!
            return (added, try Self.fetchHousehold(household, db)!)
        }
    }

    public func removeHouseholdMember(
        household: String, member: String, reason: String?, expectedRevision: Int64, audit: AuditEntry
    ) async throws -> Household {
        guard let number = Self.number(household, prefix: "HH") else {
            throw DomainError(.notFound, "no household \(household)")
        }
        let now = clock()
        return try await write { db in
            try Self.bumpHousehold(number, expected: expectedRevision, at: now, db)
            try db.executeCached(
                sql: """
                    UPDATE person SET removed_at = ?, removed_reason = ?
                    WHERE id = ? AND household = ? AND removed_at IS NULL
                    """,
                arguments: [Timestamp.format(now), reason, Self.number(member, prefix: "P"), number])
            guard db.changesCount == 1 else {
                throw DomainError(.notFound, "\(member) is not a current member of \(household)")
            }
            try AuditChain.append(audit, at: now, in: db)
            return try Self.fetchHousehold(number, db)!
        }
    }

    static func assessment(_ row: Row) -> Assessment {
        let deprived: String = row["deprived"]
        return Assessment(
            household: "HH-\(row["household"] as Int64)", year: row["year"], standard: row["standard"],
            income: row["income"], area: Household.Area(rawValue: row["area"]) ?? .rural,
            incomeLine: row["income_line"],
            deprived: RecordText.deprivations(from: deprived),
            classification: PovertyStandard.Classification(rawValue: row["class"]) ?? .average,
            previous: (row["previous_class"] as String?).flatMap(PovertyStandard.Classification.init(rawValue:)),
            by: row["by"], at: Timestamp.parse(row["at"]) ?? Date(timeIntervalSince1970: 0))
    }

    public func assessments(household: String) async throws -> [Assessment] {
        guard let number = Self.number(household, prefix: "HH") else { return [] }
        return try readNow { db in
            try Row.decodeAll(
                db, sql: "SELECT * FROM assessment WHERE household = ? ORDER BY year", arguments: [number],
                as: Self.assessment)
        }
    }

    public func assessments(year: Int) async throws -> [Assessment] {
        try readNow { db in
            try Row.decodeAll(
                db, sql: "SELECT * FROM assessment WHERE year = ?", arguments: [year],
                as: Self.assessment)
        }
    }

    public func recordAssessment(_ assessment: Assessment, expectedRevision: Int64, audit: AuditEntry) async throws
        -> (assessment: Assessment, household: Household)
    {
        guard let number = Self.number(assessment.household, prefix: "HH") else {
            throw DomainError(.notFound, "no household \(assessment.household)")
        }
        let now = clock()
        return try await write { db in
            // The revision covers assessments: the previous year's class and the area the caller computed
            // with are still those stored when this succeeds.
            try Self.bumpHousehold(number, expected: expectedRevision, at: now, db)
            try db.executeCached(
                sql: """
                    INSERT OR REPLACE INTO assessment (household, year, standard, income, area, income_line, deprived,
                        deprivations, class, previous_class, by, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    number, assessment.year, assessment.standard, assessment.income, assessment.area.rawValue,
                    assessment.incomeLine, RecordText.deprivations(assessment.deprived),
                    assessment.deprived.count, assessment.classification.rawValue, assessment.previous?.rawValue,
                    assessment.by, Timestamp.format(now),
                ])
            try AuditChain.append(audit, at: now, in: db)
            let stored = try Row.decodeOne(
                db, sql: "SELECT * FROM assessment WHERE household = ? AND year = ?",
                arguments: [number, assessment.year], as: Self.assessment)!
            return (stored, try Self.fetchHousehold(number, db)!)
        }
    }

    public func recordReads(_ entries: [AuditEntry]) async throws {
        guard !entries.isEmpty else { return }
        let now = clock()
        try await write { db in
            for entry in entries { try AuditChain.append(entry, at: now, in: db) }
        }
    }
}
