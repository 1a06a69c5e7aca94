public import CaseLineDomain
import CaseLineStore
import Foundation

/// The funding ledger (CLP1.md §10.13), as the SQLite store keeps it. Of several writers, a payment or a
/// carry-over locks its allocation's row (`FOR UPDATE`) before it sums the balance, and a case's payment then
/// locks the case: two entries racing for the last of an allocation (or of a case) are checked one after the
/// other, and the second sees the first.
extension PostgresStore {
    static func allocation(_ row: SQLRow) -> Allocation {
        Allocation(
            id: "AL-\(row["id"] as Int64)", year: row["year"], unit: row["unit"],
            project: ProgrammeComponent(rawValue: row["project"]) ?? .other,
            source: FundingSource(rawValue: row["source"]) ?? .central,
            nature: (row["nature"] as String?).flatMap(FundNature.init(rawValue:)), amount: row["amount"],
            document: row["document"], carriedFrom: (row["carried_from"] as Int64?).map { "AL-\($0)" },
            note: row["note"], by: row["by"],
            recordedAt: Timestamp.parse(row["recorded_at"]) ?? Date(timeIntervalSince1970: 0))
    }

    static func disbursement(_ row: SQLRow) -> Disbursement {
        Disbursement(
            id: "DB-\(row["id"] as Int64)", allocation: "AL-\(row["allocation"] as Int64)", amount: row["amount"],
            date: CivilDate(row["day"]) ?? CivilDate(year: 2000, month: 1, day: 1)!,
            caseID: (row["case_id"] as Int64?).map { "C-\($0)" }, document: row["document"],
            override: row["override"], by: row["by"],
            recordedAt: Timestamp.parse(row["recorded_at"]) ?? Date(timeIntervalSince1970: 0))
    }

    static func fetchAllocation(_ number: Int64, lock: Bool, _ session: SQLSession) async throws -> Allocation? {
        try await session.row("SELECT * FROM fund_allocation WHERE id = ?" + (lock ? " FOR UPDATE" : ""), [number])
            .map(allocation)
    }

    static func balance(_ allocation: Allocation, _ number: Int64, _ session: SQLSession) async throws -> FundBalance {
        let paid = try await session.row(
            """
            SELECT coalesce(sum(amount), 0)::bigint AS paid, count(override)::bigint AS overrides
            FROM fund_disbursement WHERE allocation = ?
            """, [number])
        let carried: Int64 =
            try await session.row(
                "SELECT coalesce(sum(amount), 0)::bigint AS carried FROM fund_allocation WHERE carried_from = ?",
                [number])?["carried"] ?? 0
        return FundBalance(
            amount: allocation.amount, disbursed: paid?["paid"] ?? 0, carriedOut: carried,
            overrides: paid?["overrides"] ?? 0)
    }

    public func fundLedger(units: Set<String>?, years: ClosedRange<Int>?) async throws -> FundLedger {
        try await snapshot { session in
            var sql = "SELECT * FROM fund_allocation WHERE 1 = 1"
            var arguments: [any SQLValue] = []
            if let units {
                sql += " AND " + Self.among("unit")
                arguments.append(Self.json(units.sorted()))
            }
            if let years {
                sql += " AND year BETWEEN ? AND ?"
                arguments += [years.lowerBound, years.upperBound]
            }
            let allocations = try await session.rows(sql + " ORDER BY id", arguments).map(Self.allocation)
            let numbers = allocations.compactMap { Self.number($0.id, prefix: "AL") }
            let disbursements = try await session.rows(
                "SELECT * FROM fund_disbursement WHERE " + Self.amongNumbers("allocation") + " ORDER BY id",
                [Self.json(numbers)]
            ).map(Self.disbursement)
            return FundLedger(allocations: allocations, disbursements: disbursements)
        }
    }

    public func caseOutputs(communes: Set<String>?, years: ClosedRange<Int>) async throws -> [CaseOutput] {
        var sql = """
            SELECT id, kind, commune, amount, jsonb_array_length(households::jsonb)::bigint AS households,
                programme_year, beneficiaries, started, finished, handed_over, decided_at
            FROM case_file WHERE state = 'approved' AND programme_year BETWEEN ? AND ?
            """
        var arguments: [any SQLValue] = [years.lowerBound, years.upperBound]
        if let communes {
            sql += " AND " + Self.among("commune")
            arguments.append(Self.json(communes.sorted()))
        }
        return try await read { session in
            try await session.rows(sql + " ORDER BY id", arguments).map { row in
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
        return try await snapshot { session in
            guard let found = try await Self.fetchAllocation(number, lock: false, session) else { return nil }
            let carried = try await session.rows(
                "SELECT * FROM fund_allocation WHERE carried_from = ? ORDER BY id", [number]
            ).map(Self.allocation)
            let disbursements = try await session.rows(
                "SELECT * FROM fund_disbursement WHERE allocation = ? ORDER BY id", [number]
            ).map(Self.disbursement)
            return (found, FundLedger(allocations: [found] + carried, disbursements: disbursements))
        }
    }

    public func createAllocation(_ new: Allocation, claim: IdempotencyClaim?, audit: AuditEntry) async throws
        -> Allocation
    {
        let now = clock()
        return try await write { session in
            var source: Int64?
            if let from = new.carriedFrom {
                guard let number = Self.number(from, prefix: "AL"),
                    let found = try await Self.fetchAllocation(number, lock: true, session)
                else { throw DomainError(.notFound, "no allocation \(from)") }
                if let problem = FundingRules.problem(
                    carrying: new.amount, from: found, balance: try await Self.balance(found, number, session),
                    to: new.year)
                {
                    throw problem
                }
                source = number
            } else if let problem = FundingRules.problem(allocating: new) {
                throw problem
            }
            guard
                let number: Int64 = try await session.row(
                    """
                    INSERT INTO fund_allocation (year, unit, project, source, nature, amount, document, carried_from,
                        note, by, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                    """,
                    [
                        Int64(new.year), new.unit, new.project.rawValue, new.source.rawValue, new.nature?.rawValue,
                        new.amount, new.document, source, new.note, new.by, Timestamp.format(now),
                    ])?["id"]
            else { throw StoreSQLError("the allocation insert returned no id") }
            try await IdempotencyLog.record(claim, entity: "allocation:AL-\(number)", at: now, in: session)
            var entry = audit
            entry.entity = "allocation:AL-\(number)"
            entry.change = entry.change.replacingOccurrences(of: "AL-?", with: "AL-\(number)")
            try await Journal.append(entry, at: now, in: session)
            guard let stored = try await Self.fetchAllocation(number, lock: false, session) else {
                throw StoreSQLError("the allocation just written is missing")
            }
            return stored
        }
    }

    public func recordDisbursement(_ new: Disbursement, claim: IdempotencyClaim?, audit: AuditEntry) async throws
        -> Disbursement
    {
        guard let allocationNumber = Self.number(new.allocation, prefix: "AL") else {
            throw DomainError(.notFound, "no allocation \(new.allocation)")
        }
        let now = clock()
        return try await write { session in
            guard let allocation = try await Self.fetchAllocation(allocationNumber, lock: true, session) else {
                throw DomainError(.notFound, "no allocation \(new.allocation)")
            }
            var caseNumber: Int64?
            if let caseID = new.caseID {
                guard let number = Self.number(caseID, prefix: "C"),
                    let row = try await session.row("SELECT * FROM case_file WHERE id = ? FOR UPDATE", [number])
                else { throw DomainError(.notFound, "no case \(caseID)") }
                let paid: Int64 =
                    try await session.row(
                        "SELECT coalesce(sum(amount), 0)::bigint AS paid FROM fund_disbursement WHERE case_id = ?",
                        [number])?["paid"] ?? 0
                if let problem = FundingRules.problem(
                    paying: Self.caseFile(row), amount: new.amount, paidBefore: paid, override: new.override)
                {
                    throw problem
                }
                caseNumber = number
            }
            let balance = try await Self.balance(allocation, allocationNumber, session)
            if let problem = FundingRules.problem(disbursing: new, from: allocation, balance: balance) {
                throw problem
            }
            guard
                let row = try await session.row(
                    """
                    INSERT INTO fund_disbursement (allocation, amount, day, case_id, document, override, by,
                        recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *
                    """,
                    [
                        allocationNumber, new.amount, new.date.description, caseNumber, new.document, new.override,
                        new.by, Timestamp.format(now),
                    ])
            else { throw StoreSQLError("the disbursement insert returned no row") }
            let stored = Self.disbursement(row)
            try await IdempotencyLog.record(claim, entity: "disbursement:\(stored.id)", at: now, in: session)
            var entry = audit
            entry.entity = "allocation:\(allocation.id)"
            entry.change = entry.change.replacingOccurrences(of: "DB-?", with: stored.id)
            try await Journal.append(entry, at: now, in: session)
            return stored
        }
    }
}
