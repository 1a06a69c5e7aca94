public import CaseLineDomain
public import CaseLineStore
import Foundation
import GRDB
import GRDBSQLite

extension SQLiteStore {
    // MARK: Household totals

    public func householdTotals(units: Set<String>?, year: Int?) async throws -> [HouseholdTotal] {
        try readNow { db in try Self.totals(units: units, years: year.map { $0...$0 }, db) }
    }

    static func totals(units: Set<String>?, years: ClosedRange<Int>?, _ db: Database) throws -> [HouseholdTotal] {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let units {
            conditions.append(among("unit"))
            arguments.append(json(units.sorted()))
        }
        if let years {
            conditions.append("year BETWEEN ? AND ?")
            arguments += [years.lowerBound, years.upperBound]
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try Row.fetchAll(
            db,
            sql: "SELECT unit, year, households, persons, source, by, at FROM household_total" + filter
                + " ORDER BY length(unit), unit, year",
            arguments: StatementArguments(arguments)
        ).map {
            HouseholdTotal(
                unit: $0["unit"], year: $0["year"], households: $0["households"], persons: $0["persons"],
                source: $0["source"], by: $0["by"], at: $0["at"])
        }
    }

    public func setHouseholdTotal(_ total: HouseholdTotal, audit: AuditEntry) async throws -> HouseholdTotal {
        let now = clock()
        return try await write { db in
            var kept = total
            kept.at = Timestamp.format(now)
            try db.execute(
                sql: """
                    INSERT INTO household_total (unit, year, households, persons, source, by, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (unit, year) DO UPDATE SET households = excluded.households,
                        persons = excluded.persons, source = excluded.source, by = excluded.by, at = excluded.at
                    """,
                arguments: [kept.unit, kept.year, kept.households, kept.persons, kept.source, kept.by, kept.at])
            try AuditChain.append(audit, at: now, in: db)
            return kept
        }
    }

    // MARK: Targets

    static let targetColumns = "id, unit, year, indicator, kind, low, high, document, by, at, revision"

    static func target(_ row: Row) throws -> Target {
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
        try readNow { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let units {
                conditions.append(Self.among("unit"))
                arguments.append(Self.json(units.sorted()))
            }
            if let year {
                conditions.append("year = ?")
                arguments.append(year)
            }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(
                db,
                sql: "SELECT \(Self.targetColumns) FROM target" + filter
                    + " ORDER BY length(unit), unit, year, indicator, kind",
                arguments: StatementArguments(arguments)
            ).map(Self.target)
        }
    }

    public func saveTarget(
        _ target: Target, expectedRevision: Int64?, claim: IdempotencyClaim?, audit: AuditEntry
    ) async throws -> Target {
        let now = clock()
        return try await write { db in
            var kept = target
            kept.at = Timestamp.format(now)
            let existing = try Row.fetchOne(
                db,
                sql:
                    "SELECT \(Self.targetColumns) FROM target WHERE unit = ? AND year = ? AND indicator = ? AND kind = ?",
                arguments: [target.unit, target.year, target.indicator.rawValue, target.kind.rawValue]
            ).map(Self.target)
            let number: Int64
            kept.revision = try TargetRevision.next(existing: existing, expectedRevision: expectedRevision, for: target)
            if let existing {
                number = EntityID.number(existing.id ?? "", prefix: "TG") ?? 0
                try db.execute(
                    sql: """
                        UPDATE target SET low = ?, high = ?, document = ?, by = ?, at = ?, revision = ?
                        WHERE id = ?
                        """,
                    arguments: [kept.low, kept.high, kept.document, kept.by, kept.at, kept.revision, number])
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO target (unit, year, indicator, kind, low, high, document, by, at, revision)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                        """,
                    arguments: [
                        kept.unit, kept.year, kept.indicator.rawValue, kept.kind.rawValue, kept.low, kept.high,
                        kept.document, kept.by, kept.at,
                    ])
                number = db.lastInsertedRowID
            }
            kept.id = "TG-\(number)"
            var entry = audit
            entry.entity = "target:TG-\(number)"
            try AuditChain.append(entry, at: now, in: db)
            try IdempotencyLog.record(claim, entity: "target:TG-\(number)", at: now, in: db)
            return kept
        }
    }

    // MARK: The lists in force

    public func povertySnapshot(
        communes: Set<String>, throughYear: Int, totalYears: ClosedRange<Int>, asOf: CivilDate,
        targetUnits: Set<String>
    ) async throws -> PovertySnapshot {
        // One read transaction: lists, register facts and totals of the same moment.
        try await writer.read { db in
            let communeList = Self.json(communes.sorted())
            // The register first: its households number the matrix's slots (densely, in a province's store).
            var numbers: [Int] = []
            var bits: [UInt8] = []
            var minority: [String: Bool] = [:]
            let households = try Row.fetchCursor(
                db, sql: "SELECT id, gender, ethnicity, area FROM household WHERE \(Self.among("commune"))",
                arguments: [communeList])
            while let row = try households.next() {
                numbers.append(row[0])
                bits.append(
                    HouseholdFacts.bits(gender: row[1], ethnicity: row[2], area: row[3], minority: &minority))
            }
            var lists = ListMatrix(households: numbers)
            for (number, fact) in zip(numbers, bits) { lists.setFacts(number, fact) }
            // Commune by commune and year, integers only (no text per row): a province's five years are half a
            // million rows, kept as integers beside each assessment (v16) and read through the covering index in
            // its order. The latest decision of a household's year wins: date, then campaign number (RC-9
            // before RC-10), as EffectiveList decides.
            let statement = try db.cachedStatement(
                sql: """
                    SELECT household_no, list_year, class_code, coalesce(persons, 1), decision_day, campaign_no
                    FROM review_assessment
                    WHERE commune = ? AND list_year <= ? AND decision_day <= ?
                    """)
            for commune in communes.sorted() {
                let index = lists.commune(commune)
                var year = Int.min
                var y = 0
                try statement.setArguments([commune, throughYear, asOf.dayCode])
                // Stepped through the C API: GRDB's row cursor checks each column's type and counts references
                // per row, a third of the report's time at province scale. The columns are integers (v16).
                let raw = statement.sqliteStatement
                while true {
                    let code = sqlite3_step(raw)
                    if code == SQLITE_DONE { break }
                    guard code == SQLITE_ROW else {
                        throw DatabaseError(
                            resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: statement.sql)
                    }
                    let listYear = Int(sqlite3_column_int64(raw, 1))
                    if listYear != year {
                        year = listYear
                        y = lists.yearIndex(listYear)
                    }
                    lists.add(
                        household: Int(sqlite3_column_int64(raw, 0)), yearIndex: y, commune: index,
                        code: Int(sqlite3_column_int64(raw, 2)), persons: Int(sqlite3_column_int64(raw, 3)),
                        order: sqlite3_column_int64(raw, 4) << 32 | sqlite3_column_int64(raw, 5))
                }
            }
            lists.finish()
            var totals: [String: [Int: HouseholdTotal]] = [:]
            for total in try Self.totals(units: communes, years: totalYears, db) {
                totals[total.unit, default: [:]][total.year] = total
            }
            let targets = try Row.fetchAll(
                db,
                sql: "SELECT \(Self.targetColumns) FROM target WHERE \(Self.among("unit"))"
                    + " ORDER BY year, indicator, kind, id",
                arguments: [Self.json(targetUnits.sorted())]
            ).map(Self.target)
            // Health insurance bought by approved cases, household by household (coverage targets).
            var insured: [InsuredHousehold] = []
            let cases = try Row.fetchCursor(
                db,
                sql: """
                    SELECT c.programme_year, c.decided_at, h.value
                    FROM case_file c, json_each(c.households) h
                    WHERE c.state = 'approved' AND c.kind = 'health-insurance' AND c.programme_year <= ?
                        AND c.\(Self.among("commune"))
                    """, arguments: [throughYear, communeList])
            while let row = try cases.next() {
                guard let number = ListEntry.number(row[2]), let decided = Timestamp.parse(row[1]) else { continue }
                insured.append(InsuredHousehold(year: row[0], household: number, decidedAt: decided))
            }
            return PovertySnapshot(lists: lists, totals: totals, targets: targets, insured: insured)
        }
    }
}
