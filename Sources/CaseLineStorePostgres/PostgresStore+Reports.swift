public import CaseLineDomain
public import CaseLineStore
import Foundation

extension PostgresStore {
    // MARK: Household totals

    public func householdTotals(units: Set<String>?, year: Int?) async throws -> [HouseholdTotal] {
        try await read { session in try await Self.totals(units: units, years: year.map { $0...$0 }, session) }
    }

    static func totals(units: Set<String>?, years: ClosedRange<Int>?, _ session: SQLSession) async throws
        -> [HouseholdTotal]
    {
        var conditions: [String] = []
        var arguments: [any SQLValue] = []
        if let units {
            conditions.append(among("unit"))
            arguments.append(json(units.sorted()))
        }
        if let years {
            conditions.append("year BETWEEN ? AND ?")
            arguments += [years.lowerBound, years.upperBound]
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try await session.rows(
            "SELECT unit, year, households, persons, source, by, at FROM household_total" + filter
                + " ORDER BY length(unit), unit, year", arguments
        ).map {
            HouseholdTotal(
                unit: $0["unit"], year: $0["year"], households: $0["households"], persons: $0["persons"],
                source: $0["source"], by: $0["by"], at: $0["at"])
        }
    }

    public func setHouseholdTotal(_ total: HouseholdTotal, audit: AuditEntry) async throws -> HouseholdTotal {
        let now = clock()
        return try await write { session in
            var kept = total
            kept.at = Timestamp.format(now)
            try await session.execute(
                """
                INSERT INTO household_total (unit, year, households, persons, source, by, at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (unit, year) DO UPDATE SET households = excluded.households,
                    persons = excluded.persons, source = excluded.source, by = excluded.by, at = excluded.at
                """, [kept.unit, kept.year, kept.households, kept.persons, kept.source, kept.by, kept.at])
            try await Journal.append(audit, at: now, in: session)
            return kept
        }
    }

    // MARK: Targets

    static let targetColumns = "id, unit, year, indicator, kind, low, high, document, by, at, revision"

    static func target(_ row: SQLRow) throws -> Target {
        guard let indicator = Target.Indicator(rawValue: row["indicator"]),
            let kind = Target.Kind(rawValue: row["kind"])
        else { throw DomainError(.internalError, "a stored target has an unknown indicator or kind") }
        var target = Target(
            id: "TG-\(row["id"] as Int64)", unit: row["unit"], year: row["year"], indicator: indicator, kind: kind,
            low: row["low"], high: row["high"], document: row["document"])
        target.by = row["by"]
        target.at = row["at"]
        target.revision = row["revision"]
        return target
    }

    public func targets(units: Set<String>?, year: Int?) async throws -> [Target] {
        try await read { session in
            var conditions: [String] = []
            var arguments: [any SQLValue] = []
            if let units {
                conditions.append(Self.among("unit"))
                arguments.append(Self.json(units.sorted()))
            }
            if let year {
                conditions.append("year = ?")
                arguments.append(year)
            }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return try await session.rows(
                "SELECT \(Self.targetColumns) FROM target" + filter
                    + " ORDER BY length(unit), unit, year, indicator, kind",
                arguments
            ).map(Self.target)
        }
    }

    public func saveTarget(
        _ target: Target, expectedRevision: Int64?, claim: IdempotencyClaim?, audit: AuditEntry
    ) async throws -> Target {
        let now = clock()
        return try await write { session in
            // One writer at a time per (unit, year, indicator, kind): the check of what exists and the write
            // that follows it see the same row.
            try await session.execute(
                "SELECT pg_advisory_xact_lock(hashtext(?))",
                ["target:\(target.unit):\(target.year):\(target.indicator.rawValue):\(target.kind.rawValue)"])
            var kept = target
            kept.at = Timestamp.format(now)
            let existing = try await session.row(
                "SELECT \(Self.targetColumns) FROM target WHERE unit = ? AND year = ? AND indicator = ? AND kind = ?",
                [target.unit, target.year, target.indicator.rawValue, target.kind.rawValue]
            ).map(Self.target)
            let number: Int64
            kept.revision = try TargetRevision.next(existing: existing, expectedRevision: expectedRevision, for: target)
            if let existing {
                number = EntityID.number(existing.id ?? "", prefix: "TG") ?? 0
                try await session.execute(
                    "UPDATE target SET low = ?, high = ?, document = ?, by = ?, at = ?, revision = ? WHERE id = ?",
                    [kept.low, kept.high, kept.document, kept.by, kept.at, kept.revision, number])
            } else {
                guard
                    let inserted: Int64 = try await session.row(
                        """
                        INSERT INTO target (unit, year, indicator, kind, low, high, document, by, at, revision)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id
                        """,
                        [
                            kept.unit, kept.year, kept.indicator.rawValue, kept.kind.rawValue, kept.low, kept.high,
                            kept.document, kept.by, kept.at,
                        ])?["id"]
                else { throw StoreSQLError("no id for a target") }
                number = inserted
            }
            kept.id = "TG-\(number)"
            var entry = audit
            entry.entity = "target:TG-\(number)"
            try await Journal.append(entry, at: now, in: session)
            try await IdempotencyLog.record(claim, entity: "target:TG-\(number)", at: now, in: session)
            return kept
        }
    }

    // MARK: The lists in force

    public func povertySnapshot(
        communes: Set<String>, throughYear: Int, totalYears: ClosedRange<Int>, asOf: CivilDate,
        targetUnits: Set<String>
    ) async throws -> PovertySnapshot {
        try await snapshot { session in
            let communeList = Self.json(communes.sorted())
            // The register first: its households number the matrix's slots (densely, in a province's store).
            var numbers: [Int] = []
            var bits: [UInt8] = []
            var minority: [String: Bool] = [:]
            for row in try await session.rows(
                "SELECT id, gender, ethnicity, area FROM household WHERE \(Self.among("commune"))", [communeList])
            {
                numbers.append(row["id"])
                bits.append(
                    HouseholdFacts.bits(
                        gender: row["gender"], ethnicity: row["ethnicity"], area: row["area"], minority: &minority))
            }
            var lists = ListMatrix(households: numbers)
            for (number, fact) in zip(numbers, bits) { lists.setFacts(number, fact) }
            // DISTINCT ON keeps, per household and list year, the latest decision (date, then campaign in
            // creation order), as EffectiveList does.
            for row in try await session.rows(
                """
                SELECT DISTINCT ON (household_no, list_year) household_no AS number, commune, list_year,
                    class_code, persons
                FROM review_assessment
                WHERE \(Self.among("commune")) AND list_year <= ? AND decision_day <= ?
                ORDER BY household_no, list_year, decision_day DESC, campaign_no DESC
                """, [communeList, throughYear, asOf.dayCode])
            {
                lists.add(
                    household: row["number"], yearIndex: lists.yearIndex(row["list_year"]),
                    commune: lists.commune(row["commune"]), code: row["class_code"],
                    persons: (row["persons"] as Int?) ?? 1, order: 0)
            }
            lists.finish()
            var totals: [String: [Int: HouseholdTotal]] = [:]
            for total in try await Self.totals(units: communes, years: totalYears, session) {
                totals[total.unit, default: [:]][total.year] = total
            }
            let targets = try await session.rows(
                "SELECT \(Self.targetColumns) FROM target WHERE \(Self.among("unit")) ORDER BY year, indicator, kind, id",
                [Self.json(targetUnits.sorted())]
            ).map(Self.target)
            // Health insurance bought by approved cases, household by household (coverage targets).
            var insured: [InsuredHousehold] = []
            for row in try await session.rows(
                """
                SELECT c.programme_year, c.decided_at, h.value AS household
                FROM case_file c, jsonb_array_elements_text(c.households::jsonb) AS h(value)
                WHERE c.state = 'approved' AND c.kind = 'health-insurance' AND c.programme_year <= ?
                    AND c.\(Self.among("commune"))
                """, [throughYear, communeList])
            {
                guard let number = ListEntry.number(row["household"]),
                    let decided = (row["decided_at"] as String?).flatMap(Timestamp.parse)
                else { continue }
                insured.append(InsuredHousehold(year: row["programme_year"], household: number, decidedAt: decided))
            }
            return PovertySnapshot(lists: lists, totals: totals, targets: targets, insured: insured)
        }
    }
}
