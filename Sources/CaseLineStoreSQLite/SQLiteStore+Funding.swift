public import CaseLineDomain
import CaseLineStore
import Foundation
import GRDB

/// The funding ledger (CLP1.md §10.13): allocations and disbursements, both append-only. Balances are never
/// stored: they are summed from the entries, inside the write transaction that checks a new entry against them.
extension SQLiteStore {
    static func allocation(_ row: Row) -> Allocation {
        Allocation(
            id: "AL-\(row["id"] as Int64)", year: row["year"], unit: row["unit"],
            project: ProgrammeComponent(rawValue: row["project"]) ?? .other,
            source: FundingSource(rawValue: row["source"]) ?? .central,
            nature: (row["nature"] as String?).flatMap(FundNature.init(rawValue:)), amount: row["amount"],
            document: row["document"], carriedFrom: (row["carried_from"] as Int64?).map { "AL-\($0)" },
            note: row["note"], by: row["by"],
            recordedAt: Timestamp.parse(row["recorded_at"]) ?? Date(timeIntervalSince1970: 0))
    }

    static func disbursement(_ row: Row) -> Disbursement {
        Disbursement(
            id: "DB-\(row["id"] as Int64)", allocation: "AL-\(row["allocation"] as Int64)", amount: row["amount"],
            date: CivilDate(row["day"]) ?? CivilDate(year: 2000, month: 1, day: 1)!,
            caseID: (row["case_id"] as Int64?).map { "C-\($0)" }, document: row["document"],
            override: row["override"], by: row["by"],
            recordedAt: Timestamp.parse(row["recorded_at"]) ?? Date(timeIntervalSince1970: 0))
    }

    static func fetchAllocation(_ number: Int64, _ db: Database) throws -> Allocation? {
        try Row.decodeOne(
            try db.cachedStatement(sql: "SELECT * FROM fund_allocation WHERE id = ?"), arguments: [number],
            as: allocation)
    }

    /// One allocation's balance as the entries stand in this transaction.
    static func balance(_ allocation: Allocation, _ number: Int64, _ db: Database) throws -> FundBalance {
        let paid = try Row.fetchOne(
            try db.cachedStatement(
                sql: """
                    SELECT coalesce(sum(amount), 0) AS paid, count(override) AS overrides
                    FROM fund_disbursement WHERE allocation = ?
                    """),
            arguments: [number])
        let carried =
            try Int64.fetchOne(
                try db.cachedStatement(
                    sql: "SELECT coalesce(sum(amount), 0) FROM fund_allocation WHERE carried_from = ?"),
                arguments: [number]) ?? 0
        return FundBalance(
            amount: allocation.amount, disbursed: paid?["paid"] ?? 0, carriedOut: carried,
            overrides: paid?["overrides"] ?? 0)
    }

    public func fundLedger(units: Set<String>?, years: ClosedRange<Int>?) async throws -> FundLedger {
        try readNow { db in
            var sql = "SELECT * FROM fund_allocation WHERE 1 = 1"
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let units {
                sql += " AND " + Self.among("unit")
                arguments.append(Self.json(units.sorted()))
            }
            if let years {
                sql += " AND year BETWEEN ? AND ?"
                arguments += [years.lowerBound, years.upperBound]
            }
            let allocations = try Row.decodeAll(
                try db.cachedStatement(sql: sql + " ORDER BY id"), arguments: StatementArguments(arguments),
                as: Self.allocation)
            let numbers = allocations.compactMap { Self.number($0.id, prefix: "AL") }
            let disbursements = try Row.decodeAll(
                try db.cachedStatement(
                    sql: "SELECT * FROM fund_disbursement WHERE " + Self.among("allocation") + " ORDER BY id"),
                arguments: [Self.json(numbers)], as: Self.disbursement)
            return FundLedger(allocations: allocations, disbursements: disbursements)
        }
    }

    public func caseOutputs(communes: Set<String>?, years: ClosedRange<Int>) async throws -> [CaseOutput] {
        try readNow { db in
            var sql = """
                SELECT id, kind, commune, amount, json_array_length(households) AS households, programme_year,
                    beneficiaries, started, finished, handed_over, decided_at
                FROM case_file WHERE state = 'approved' AND programme_year BETWEEN ? AND ?
                """
            var arguments: [(any DatabaseValueConvertible)?] = [years.lowerBound, years.upperBound]
            if let communes {
                sql += " AND " + Self.among("commune")
                arguments.append(Self.json(communes.sorted()))
            }
            return try Row.decodeAll(
                try db.cachedStatement(sql: sql + " ORDER BY id"), arguments: StatementArguments(arguments)
            ) { row in
                CaseOutput(
                    id: "C-\(row["id"] as Int64)", kind: CaseFile.Kind(rawValue: row["kind"]) ?? .inspection,
                    commune: row["commune"], amount: row["amount"] ?? 0, households: row["households"] ?? 0,
                    year: row["programme_year"],
                    beneficiaries: Beneficiaries(wire: row["beneficiaries"]) ?? Beneficiaries(),
                    progress: HousingProgress(
                        started: (row["started"] as String?).flatMap(CivilDate.init),
                        finished: (row["finished"] as String?).flatMap(CivilDate.init),
                        handedOver: (row["handed_over"] as String?).flatMap(CivilDate.init)),
                    decidedAt: (row["decided_at"] as String?).flatMap(Timestamp.parse) ?? Date(timeIntervalSince1970: 0)
                )
            }
        }
    }

    public func allocation(id: String) async throws -> (allocation: Allocation, ledger: FundLedger)? {
        guard let number = Self.number(id, prefix: "AL") else { return nil }
        return try readNow { db in
            guard let found = try Self.fetchAllocation(number, db) else { return nil }
            let carried = try Row.decodeAll(
                try db.cachedStatement(sql: "SELECT * FROM fund_allocation WHERE carried_from = ? ORDER BY id"),
                arguments: [number], as: Self.allocation)
            let disbursements = try Row.decodeAll(
                try db.cachedStatement(sql: "SELECT * FROM fund_disbursement WHERE allocation = ? ORDER BY id"),
                arguments: [number], as: Self.disbursement)
            return (found, FundLedger(allocations: [found] + carried, disbursements: disbursements))
        }
    }

    public func createAllocation(_ new: Allocation, claim: IdempotencyClaim?, audit: AuditEntry) async throws
        -> Allocation
    {
        let now = clock()
        return try await write { db in
            var source: Int64?
            if let from = new.carriedFrom {
                guard let number = Self.number(from, prefix: "AL"), let found = try Self.fetchAllocation(number, db)
                else { throw DomainError(.notFound, "no allocation \(from)") }
                if let problem = FundingRules.problem(
                    carrying: new.amount, from: found, balance: try Self.balance(found, number, db), to: new.year)
                {
                    throw problem
                }
                source = number
            } else if let problem = FundingRules.problem(allocating: new) {
                throw problem
            }
            try db.executeCached(
                sql: """
                    INSERT INTO fund_allocation (year, unit, project, source, nature, amount, document, carried_from,
                        note, by, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    new.year, new.unit, new.project.rawValue, new.source.rawValue, new.nature?.rawValue, new.amount,
                    new.document, source, new.note, new.by, Timestamp.format(now),
                ])
            let number = db.lastInsertedRowID
            try IdempotencyLog.record(claim, entity: "allocation:AL-\(number)", at: now, in: db)
            var entry = audit
            entry.entity = "allocation:AL-\(number)"
            entry.change = entry.change.replacingOccurrences(of: "AL-?", with: "AL-\(number)")
            try AuditChain.append(entry, at: now, in: db)
            return try Self.fetchAllocation(number, db)!
        }
    }

    public func recordDisbursement(_ new: Disbursement, claim: IdempotencyClaim?, audit: AuditEntry) async throws
        -> Disbursement
    {
        guard let allocationNumber = Self.number(new.allocation, prefix: "AL") else {
            throw DomainError(.notFound, "no allocation \(new.allocation)")
        }
        let now = clock()
        return try await write { db in
            guard let allocation = try Self.fetchAllocation(allocationNumber, db) else {
                throw DomainError(.notFound, "no allocation \(new.allocation)")
            }
            var caseNumber: Int64?
            if let caseID = new.caseID {
                guard let number = Self.number(caseID, prefix: "C"), let file = try Self.fetchCase(number, db) else {
                    throw DomainError(.notFound, "no case \(caseID)")
                }
                let paid =
                    try Int64.fetchOne(
                        try db.cachedStatement(
                            sql: "SELECT coalesce(sum(amount), 0) FROM fund_disbursement WHERE case_id = ?"),
                        arguments: [number]) ?? 0
                if let problem = FundingRules.problem(
                    paying: file, amount: new.amount, paidBefore: paid, override: new.override)
                {
                    throw problem
                }
                caseNumber = number
            }
            let balance = try Self.balance(allocation, allocationNumber, db)
            if let problem = FundingRules.problem(disbursing: new, from: allocation, balance: balance) {
                throw problem
            }
            try db.executeCached(
                sql: """
                    INSERT INTO fund_disbursement (allocation, amount, day, case_id, document, override, by,
                        recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    allocationNumber, new.amount, new.date.description, caseNumber, new.document, new.override,
                    new.by, Timestamp.format(now),
                ])
            let number = db.lastInsertedRowID
            try IdempotencyLog.record(claim, entity: "disbursement:DB-\(number)", at: now, in: db)
            var entry = audit
            entry.entity = "allocation:\(allocation.id)"
            entry.change = entry.change.replacingOccurrences(of: "DB-?", with: "DB-\(number)")
            try AuditChain.append(entry, at: now, in: db)
            return try Row.decodeOne(
                try db.cachedStatement(sql: "SELECT * FROM fund_disbursement WHERE id = ?"), arguments: [number],
                as: Self.disbursement)!
        }
    }
}
