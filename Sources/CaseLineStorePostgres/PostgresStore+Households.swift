public import CaseLineDomain
import CaseLineStore
import Foundation

extension PostgresStore {
    /// Size counts the head and the current members; the class is the latest assessed year's.
    static let householdQuery = """
        SELECT h.*,
            1 + (SELECT count(*) FROM person p WHERE p.household = h.id AND p.removed_at IS NULL) AS size,
            (SELECT a.class FROM assessment a WHERE a.household = h.id ORDER BY a.year DESC LIMIT 1) AS class,
            (SELECT a.year FROM assessment a WHERE a.household = h.id ORDER BY a.year DESC LIMIT 1) AS class_year
        FROM household h
        """

    static func household(_ row: SQLRow) -> Household {
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

    static func fetchHousehold(_ number: Int64, _ session: SQLSession) async throws -> Household {
        guard let row = try await session.row(householdQuery + " WHERE h.id = ?", [number]) else {
            throw DomainError(.notFound, "no household HH-\(number)")
        }
        return household(row)
    }

    public func households(communes: Set<String>?) async throws -> [Household] {
        guard let communes else {
            return try await read { session in try await session.rows(Self.householdQuery).map(Self.household) }
        }
        guard !communes.isEmpty else { return [] }
        return try await read { session in
            try await session.rows(
                Self.householdQuery + " WHERE " + Self.among("h.commune"), [Self.json(communes.sorted())]
            ).map(Self.household)
        }
    }

    public func household(id: String) async throws -> Household? {
        guard let number = Self.number(id, prefix: "HH") else { return nil }
        return try await read { session in
            try await session.row(Self.householdQuery + " WHERE h.id = ?", [number]).map(Self.household)
        }
    }

    public func household(idNumber: String) async throws -> Household? {
        try await read { session in
            try await session.row(Self.householdQuery + " WHERE h.id_number = ?", [idNumber]).map(Self.household)
        }
    }

    /// Inside the transaction: another household's head, or a current member of any household, already holds
    /// this ID number (the UNIQUE constraint on heads and the partial unique index on members refuse a racing
    /// writer that passed this beside another; its retry ends here).
    static func requireUniqueIDNumber(_ idNumber: String?, except number: Int64?, _ session: SQLSession) async throws {
        guard let idNumber else { return }
        if let other: Int64 = try await session.row(
            "SELECT id FROM household WHERE id_number = ? AND id IS DISTINCT FROM ?", [idNumber, number])?["id"]
        {
            throw DomainError(
                .alreadyExists, "a household's head already has ID number \(idNumber)",
                details: [("household", "HH-\(other)")])
        }
        // One person, one number: a current member of any household counts as much as a head.
        if let other: Int64 = try await session.row(
            "SELECT household FROM person WHERE id_number = ? AND removed_at IS NULL", [idNumber])?["household"]
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
        return try await write { session in
            try await Self.requireUniqueIDNumber(household.idNumber, except: nil, session)
            guard
                let number: Int64 = try await session.row(
                    """
                    INSERT INTO household (commune, village, area, head, gender, birth, ethnicity, id_number,
                                           created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                    """,
                    [
                        household.commune, household.village, household.area.rawValue, household.head,
                        household.gender.rawValue, household.birth, household.ethnicity, household.idNumber,
                        Timestamp.format(now), Timestamp.format(now),
                    ])?["id"]
            else { throw StoreSQLError("the household insert returned no id") }
            try await IdempotencyLog.record(claim, entity: "household:HH-\(number)", at: now, in: session)
            var entry = audit
            entry.entity = "household:HH-\(number)"
            try await Journal.append(entry, at: now, in: session)
            return try await Self.fetchHousehold(number, session)
        }
    }

    /// Raises the household's revision if it is still `expected` (`CONFLICT current=N` otherwise).
    static func bumpHousehold(_ number: Int64, expected: Int64, at now: Date, _ session: SQLSession) async throws {
        let changed = try await session.execute(
            "UPDATE household SET updated_at = ?, revision = revision + 1 WHERE id = ? AND revision = ? RETURNING 1",
            [Timestamp.format(now), number, expected])
        try await requireChanged(changed, number, expected: expected, session)
    }

    static func requireChanged(_ changed: Int, _ number: Int64, expected: Int64, _ session: SQLSession) async throws {
        guard changed != 1 else { return }
        guard
            let current: Int64 = try await session.row("SELECT revision FROM household WHERE id = ?", [number])?[
                "revision"]
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
        return try await write { session in
            // NOT-FOUND, then CONFLICT, then ALREADY-EXISTS, as the SQLite store answers; the row stays locked.
            guard
                let current: Int64 = try await session.row(
                    "SELECT revision FROM household WHERE id = ? FOR UPDATE", [number])?["revision"]
            else { throw DomainError(.notFound, "no household \(household.id)") }
            guard current == expectedRevision else {
                throw DomainError(
                    .conflict, "household \(household.id) changed since revision \(expectedRevision)",
                    details: [("current", String(current))])
            }
            try await Self.requireUniqueIDNumber(household.idNumber, except: number, session)
            let changed = try await session.execute(
                """
                UPDATE household SET village = ?, area = ?, head = ?, gender = ?, birth = ?, ethnicity = ?,
                    id_number = ?, updated_at = ?, revision = revision + 1
                WHERE id = ? AND revision = ? RETURNING 1
                """,
                [
                    household.village, household.area.rawValue, household.head, household.gender.rawValue,
                    household.birth, household.ethnicity, household.idNumber, Timestamp.format(now), number,
                    expectedRevision,
                ])
            try await Self.requireChanged(changed, number, expected: expectedRevision, session)
            try await Journal.append(audit, at: now, in: session)
            return try await Self.fetchHousehold(number, session)
        }
    }

    static func member(_ row: SQLRow) -> HouseholdMember {
        HouseholdMember(
            id: "P-\(row["id"] as Int64)", household: "HH-\(row["household"] as Int64)", name: row["name"],
            gender: Household.Gender(rawValue: row["gender"]) ?? .male, birth: row["birth"],
            relation: row["relation"], removed: (row["removed_at"] as String?) != nil, idNumber: row["id_number"],
            ethnicity: row["ethnicity"], disability: (row["disability"] as String?).flatMap(DisabilityLevel.init),
            socialAllowance: row["social_allowance"], merit: row["merit"])
    }

    static func insertMember(_ member: HouseholdMember, household: Int64, _ session: SQLSession) async throws
        -> SQLRow
    {
        guard
            let row = try await session.row(
                """
                INSERT INTO person (household, name, gender, birth, relation, id_number, ethnicity, disability,
                                    social_allowance, merit)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *
                """,
                [
                    household, member.name, member.gender.rawValue, member.birth, member.relation, member.idNumber,
                    member.ethnicity, member.disability?.rawValue, member.socialAllowance, member.merit,
                ])
        else { throw StoreSQLError("the member insert returned no row") }
        return row
    }

    public func householdMembers(household: String) async throws -> [HouseholdMember] {
        guard let number = Self.number(household, prefix: "HH") else { return [] }
        return try await read { session in
            try await session.rows(
                "SELECT * FROM person WHERE household = ? AND removed_at IS NULL ORDER BY id", [number]
            ).map(Self.member)
        }
    }

    public func householdImportMark(household: String) async throws -> ImportMark? {
        guard let number = Self.number(household, prefix: "HH") else { return nil }
        return try await read { session in
            guard
                let row = try await session.rows(
                    "SELECT key, source, line, import_id FROM import_key WHERE household = ?", [number]
                ).first,
                let source = row["source"] as String?, let line = row["line"] as Int?,
                let importID = row["import_id"] as String?
            else { return nil }
            return ImportMark(source: source, line: line, importID: importID, key: row["key"])
        }
    }

    public func householdMember(id: String) async throws -> HouseholdMember? {
        guard let number = Self.number(id, prefix: "P") else { return nil }
        return try await read { session in
            try await session.row("SELECT * FROM person WHERE id = ?", [number]).map(Self.member)
        }
    }

    public func addHouseholdMember(
        _ member: HouseholdMember, expectedRevision: Int64, claim: IdempotencyClaim?, audit: AuditEntry
    ) async throws -> (member: HouseholdMember, household: Household) {
        guard let household = Self.number(member.household, prefix: "HH") else {
            throw DomainError(.notFound, "no household \(member.household)")
        }
        let now = clock()
        return try await write { session in
            try await Self.bumpHousehold(household, expected: expectedRevision, at: now, session)
            try await Self.requireUniqueIDNumber(member.idNumber, except: nil, session)
            let row = try await Self.insertMember(member, household: household, session)
            let added = Self.member(row)
            try await IdempotencyLog.record(claim, entity: "person:\(added.id)", at: now, in: session)
            var entry = audit
            entry.change = entry.change.replacingOccurrences(of: "P-?", with: added.id)
            try await Journal.append(entry, at: now, in: session)
            return (added, try await Self.fetchHousehold(household, session))
        }
    }

    public func removeHouseholdMember(
        household: String, member: String, reason: String?, expectedRevision: Int64, audit: AuditEntry
    ) async throws -> Household {
        guard let number = Self.number(household, prefix: "HH") else {
            throw DomainError(.notFound, "no household \(household)")
        }
        let now = clock()
        return try await write { session in
            try await Self.bumpHousehold(number, expected: expectedRevision, at: now, session)
            let changed = try await session.execute(
                """
                UPDATE person SET removed_at = ?, removed_reason = ?
                WHERE id = ? AND household = ? AND removed_at IS NULL RETURNING 1
                """,
                [Timestamp.format(now), reason, Self.number(member, prefix: "P"), number])
            guard changed == 1 else {
                throw DomainError(.notFound, "\(member) is not a current member of \(household)")
            }
            try await Journal.append(audit, at: now, in: session)
            return try await Self.fetchHousehold(number, session)
        }
    }

    static func assessment(_ row: SQLRow) -> Assessment {
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
        return try await read { session in
            try await session.rows("SELECT * FROM assessment WHERE household = ? ORDER BY year", [number]).map(
                Self.assessment)
        }
    }

    public func assessments(year: Int) async throws -> [Assessment] {
        try await read { session in
            try await session.rows("SELECT * FROM assessment WHERE year = ?", [year]).map(Self.assessment)
        }
    }

    public func recordAssessment(_ assessment: Assessment, expectedRevision: Int64, audit: AuditEntry) async throws
        -> (assessment: Assessment, household: Household)
    {
        guard let number = Self.number(assessment.household, prefix: "HH") else {
            throw DomainError(.notFound, "no household \(assessment.household)")
        }
        let now = clock()
        return try await write { session in
            // The revision covers assessments: the previous year's class and the area the caller computed with
            // are still those stored when this succeeds.
            try await Self.bumpHousehold(number, expected: expectedRevision, at: now, session)
            guard
                let row = try await session.row(
                    """
                    INSERT INTO assessment (household, year, standard, income, area, income_line, deprived,
                        deprivations, class, previous_class, by, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (household, year) DO UPDATE SET standard = excluded.standard,
                        income = excluded.income, area = excluded.area, income_line = excluded.income_line,
                        deprived = excluded.deprived, deprivations = excluded.deprivations, class = excluded.class,
                        previous_class = excluded.previous_class, by = excluded.by, at = excluded.at
                    RETURNING *
                    """,
                    [
                        number, assessment.year, assessment.standard, assessment.income, assessment.area.rawValue,
                        assessment.incomeLine, RecordText.deprivations(assessment.deprived),
                        assessment.deprived.count, assessment.classification.rawValue, assessment.previous?.rawValue,
                        assessment.by, Timestamp.format(now),
                    ])
            else { throw StoreSQLError("the assessment upsert returned no row") }
            try await Journal.append(audit, at: now, in: session)
            return (Self.assessment(row), try await Self.fetchHousehold(number, session))
        }
    }
}
