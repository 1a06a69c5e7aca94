public import CaseLineDomain
import CaseLineStore
import Foundation

extension PostgresStore {
    static func strings(_ text: String?) -> [String] {
        guard let text else { return [] }
        return (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }

    static func caseFile(_ row: SQLRow) -> CaseFile {
        func date(_ key: String) -> Date? { (row[key] as String?).flatMap(Timestamp.parse) }
        return CaseFile(
            id: "C-\(row["id"] as Int64)", kind: CaseFile.Kind(rawValue: row["kind"]) ?? .inspection,
            commune: row["commune"], title: row["title"], description: row["description"],
            state: CaseFile.State(rawValue: row["state"]) ?? .draft, amount: row["amount"],
            funding: RecordText.funding(items: strings(row["funding"])),
            households: strings(row["households"]), documents: strings(row["documents"]), creator: row["creator"],
            submitter: row["submitter"], submitters: Set(strings(row["submitters"])),
            editors: Set(strings(row["editors"])),
            submittedAt: date("submitted_at"), waitingSince: date("waiting_since"), decidedAt: date("decided_at"),
            round: row["round"], chain: ChainStep.parse(row["chain"]) ?? [], step: row["step"],
            createdAt: date("created_at") ?? Date(timeIntervalSince1970: 0),
            updatedAt: date("updated_at") ?? Date(timeIntervalSince1970: 0), revision: row["revision"],
            year: row["programme_year"], beneficiaries: Beneficiaries(wire: row["beneficiaries"]) ?? Beneficiaries(),
            progress: HousingProgress(
                started: (row["started"] as String?).flatMap(CivilDate.init),
                finished: (row["finished"] as String?).flatMap(CivilDate.init),
                handedOver: (row["handed_over"] as String?).flatMap(CivilDate.init)),
            decision: row["decision"], imported: importMark(row))
    }

    static func fetchCase(_ number: Int64, _ session: SQLSession) async throws -> CaseFile {
        guard let row = try await session.row("SELECT * FROM case_file WHERE id = ?", [number]) else {
            throw DomainError(.notFound, "no case C-\(number)")
        }
        return caseFile(row)
    }

    /// The year of an instant, as the store writes times (`Timestamp`): a case's programme year by default.
    static func year(_ date: Date) -> Int { Int(Timestamp.format(date).prefix(4)) ?? 2000 }

    public func cases(communes: Set<String>?) async throws -> [CaseFile] {
        guard let communes else {
            return try await read { session in
                try await session.rows("SELECT * FROM case_file ORDER BY id DESC").map(Self.caseFile)
            }
        }
        guard !communes.isEmpty else { return [] }
        return try await read { session in
            try await session.rows(
                "SELECT * FROM case_file WHERE " + Self.among("commune") + " ORDER BY id DESC",
                [Self.json(communes.sorted())]
            ).map(Self.caseFile)
        }
    }

    public func cases(state: CaseFile.State) async throws -> [CaseFile] {
        try await read { session in
            try await session.rows("SELECT * FROM case_file WHERE state = ? ORDER BY id DESC", [state.rawValue]).map(
                Self.caseFile)
        }
    }

    public func caseFile(id: String) async throws -> CaseFile? {
        guard let number = Self.number(id, prefix: "C") else { return nil }
        return try await read { session in
            try await session.row("SELECT * FROM case_file WHERE id = ?", [number]).map(Self.caseFile)
        }
    }

    /// Every column a case write sets, in one place for insert and update.
    static func columns(_ file: CaseFile) -> [(String, any SQLValue)] {
        [
            ("kind", file.kind.rawValue), ("commune", file.commune), ("title", file.title),
            ("description", file.description), ("state", file.state.rawValue), ("amount", file.amount),
            ("funding", json(RecordText.fundingItems(file.funding))), ("households", json(file.households)),
            ("documents", json(file.documents)), ("creator", file.creator), ("submitter", file.submitter),
            ("submitters", json(file.submitters.sorted())), ("editors", json(file.editors.sorted())),
            ("submitted_at", file.submittedAt.map(Timestamp.format)),
            ("waiting_since", file.waitingSince.map(Timestamp.format)),
            ("decided_at", file.decidedAt.map(Timestamp.format)), ("round", file.round),
            ("chain", ChainStep.list(file.chain)), ("step", file.step),
            ("beneficiaries", file.beneficiaries.wire), ("started", file.progress.started?.description),
            ("finished", file.progress.finished?.description), ("handed_over", file.progress.handedOver?.description),
        ]
    }

    public func createCase(_ file: CaseFile, claim: IdempotencyClaim?, audit: AuditEntry) async throws -> CaseFile {
        let now = clock()
        return try await write { session in
            let columns =
                Self.columns(file) + [
                    ("created_at", Timestamp.format(now)), ("updated_at", Timestamp.format(now)),
                    ("programme_year", Int64(file.year ?? Self.year(now))),
                ]
            guard
                let number: Int64 = try await session.row(
                    "INSERT INTO case_file (\(columns.map(\.0).joined(separator: ", "))) VALUES ("
                        + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ") RETURNING id",
                    columns.map(\.1))?["id"]
            else { throw StoreSQLError("the case insert returned no id") }
            try await IdempotencyLog.record(claim, entity: "case:C-\(number)", at: now, in: session)
            var entry = audit
            entry.entity = "case:C-\(number)"
            try await Journal.append(entry, at: now, in: session)
            return try await Self.fetchCase(number, session)
        }
    }

    public func saveCase(_ file: CaseFile, expectedRevision: Int64, steps: [CaseStep], audit: AuditEntry)
        async throws -> CaseFile
    {
        guard let number = Self.number(file.id, prefix: "C") else { throw DomainError(.notFound, "no case \(file.id)") }
        let now = clock()
        return try await write { session in
            var columns = Self.columns(file) + [("updated_at", Timestamp.format(now))]
            if let year = file.year { columns.append(("programme_year", Int64(year))) }
            let changed = try await session.execute(
                "UPDATE case_file SET \(columns.map { "\($0.0) = ?" }.joined(separator: ", ")), "
                    + "revision = revision + 1 WHERE id = ? AND revision = ? RETURNING 1",
                columns.map(\.1) + [number, expectedRevision])
            guard changed == 1 else {
                guard
                    let current: Int64 = try await session.row(
                        "SELECT revision FROM case_file WHERE id = ?", [number])?["revision"]
                else { throw DomainError(.notFound, "no case \(file.id)") }
                throw DomainError(
                    .conflict, "case \(file.id) changed since revision \(expectedRevision)",
                    details: [("current", String(current))])
            }
            for step in steps {
                try await session.execute(
                    """
                    INSERT INTO case_step (case_id, round, n, step, state, waiting_since, by, on_behalf_of, delegation,
                        at, note, reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (case_id, round, n) DO UPDATE SET step = excluded.step, state = excluded.state,
                        waiting_since = excluded.waiting_since, by = excluded.by, on_behalf_of = excluded.on_behalf_of,
                        delegation = excluded.delegation, at = excluded.at, note = excluded.note,
                        reason = excluded.reason
                    """,
                    [
                        number, step.round, step.number, step.step.description, step.state.rawValue,
                        step.waitingSince.map(Timestamp.format), step.by, step.onBehalfOf, step.delegation,
                        step.at.map(Timestamp.format), step.note, step.reason,
                    ])
            }
            try await Journal.append(audit, at: now, in: session)
            return try await Self.fetchCase(number, session)
        }
    }

    public func steps(caseID: String) async throws -> [CaseStep] {
        guard let number = Self.number(caseID, prefix: "C") else { return [] }
        return try await read { session in
            try await session.rows("SELECT * FROM case_step WHERE case_id = ? ORDER BY round, n", [number]).map {
                row in
                CaseStep(
                    caseID: caseID, round: row["round"], number: row["n"],
                    step: ChainStep(wire: row["step"]) ?? ChainStep(role: .chair, level: .commune),
                    state: CaseStep.State(rawValue: row["state"]) ?? .queued,
                    waitingSince: (row["waiting_since"] as String?).flatMap(Timestamp.parse), by: row["by"],
                    onBehalfOf: row["on_behalf_of"], delegation: row["delegation"],
                    at: (row["at"] as String?).flatMap(Timestamp.parse), note: row["note"], reason: row["reason"])
            }
        }
    }

    public func householdCommunes(_ ids: [String]) async throws -> [String: String] {
        let numbers = ids.compactMap { Self.number($0, prefix: "HH") }
        guard !numbers.isEmpty else { return [:] }
        return try await read { session in
            var found: [String: String] = [:]
            for row in try await session.rows(
                "SELECT id, commune FROM household WHERE " + Self.amongNumbers("id"), [Self.json(numbers)])
            {
                found["HH-\(row["id"] as Int64)"] = row["commune"] as String
            }
            return found
        }
    }

    // MARK: Chains

    public func chains() async throws -> [ApprovalChain] {
        try await read { session in
            var stored: [String: ApprovalChain] = [:]
            for row in try await session.rows("SELECT * FROM approval_chain") {
                guard let kind = CaseFile.Kind(rawValue: row["kind"]) else { continue }
                stored[kind.rawValue] = ApprovalChain(
                    kind: kind, steps: ChainStep.parse(row["steps"]) ?? [], updatedBy: row["updated_by"],
                    updatedAt: (row["updated_at"] as String?).flatMap(Timestamp.parse), revision: row["revision"])
            }
            return CaseFile.Kind.allCases.map { stored[$0.rawValue] ?? .initial($0) }
        }
    }

    public func setChain(_ chain: ApprovalChain, expectedRevision: Int64?, audit: AuditEntry) async throws
        -> ApprovalChain
    {
        let now = clock()
        return try await write { session in
            // A kind never set has no row to lock; the insert of a racing first setter then refuses (the primary
            // key) and this runs again, finding its row.
            let current: Int64 =
                try await session.row(
                    "SELECT revision FROM approval_chain WHERE kind = ? FOR UPDATE", [chain.kind.rawValue])?["revision"]
                ?? 1
            if let expectedRevision, expectedRevision != current {
                throw DomainError(
                    .conflict, "the chain of \(chain.kind.rawValue) changed since revision \(expectedRevision)",
                    details: [("current", String(current))])
            }
            let exists = try await session.row("SELECT 1 FROM approval_chain WHERE kind = ?", [chain.kind.rawValue])
            if exists == nil {
                try await session.execute(
                    "INSERT INTO approval_chain (kind, steps, updated_by, updated_at, revision) VALUES (?, ?, ?, ?, ?)",
                    [
                        chain.kind.rawValue, ChainStep.list(chain.steps), chain.updatedBy, Timestamp.format(now),
                        current + 1,
                    ])
            } else {
                try await session.execute(
                    "UPDATE approval_chain SET steps = ?, updated_by = ?, updated_at = ?, revision = ? WHERE kind = ?",
                    [
                        ChainStep.list(chain.steps), chain.updatedBy, Timestamp.format(now), current + 1,
                        chain.kind.rawValue,
                    ])
            }
            try await Journal.append(audit, at: now, in: session)
            var saved = chain
            saved.updatedAt = Timestamp.parse(Timestamp.format(now))
            saved.revision = current + 1
            return saved
        }
    }

    // MARK: Delegations

    static func delegation(_ row: SQLRow) -> Delegation {
        Delegation(
            id: "DL-\(row["id"] as Int64)", delegator: row["delegator"], delegate: row["delegate"],
            from: row["from_day"], until: row["until_day"], note: row["note"],
            createdAt: Timestamp.parse(row["created_at"]) ?? Date(timeIntervalSince1970: 0),
            endedAt: (row["ended_at"] as String?).flatMap(Timestamp.parse), endedBy: row["ended_by"],
            revision: row["revision"])
    }

    public func delegations() async throws -> [Delegation] {
        try await read { session in
            try await session.rows("SELECT * FROM delegation ORDER BY from_day DESC, id DESC").map(Self.delegation)
        }
    }

    public func delegation(id: String) async throws -> Delegation? {
        guard let number = Self.number(id, prefix: "DL") else { return nil }
        return try await read { session in
            try await session.row("SELECT * FROM delegation WHERE id = ?", [number]).map(Self.delegation)
        }
    }

    public func createDelegation(_ new: Delegation, today: String, claim: IdempotencyClaim?, audit: AuditEntry)
        async throws -> Delegation
    {
        let now = clock()
        return try await write { session in
            // Whether two windows clash depends on `today`, which no constraint can state: the delegator's row is
            // locked, so that two delegations of one person are checked one after the other, on any node.
            guard try await session.row("SELECT 1 FROM users WHERE login = ? FOR UPDATE", [new.delegator]) != nil
            else { throw DomainError(.notFound, "no user \(new.delegator)") }
            let open = try await session.rows(
                "SELECT * FROM delegation WHERE delegator = ? AND ended_at IS NULL AND until_day >= ?",
                [new.delegator, today]
            ).map(Self.delegation)
            if let clash = open.first(where: { $0.from <= new.until && new.from <= $0.until }) {
                throw DomainError(
                    .invalid,
                    "the window overlaps \(clash.id) (\(clash.delegate), \(clash.from) to \(clash.until)); end it first"
                )
            }
            guard
                let row = try await session.row(
                    """
                    INSERT INTO delegation (delegator, delegate, from_day, until_day, note, created_at)
                    VALUES (?, ?, ?, ?, ?, ?) RETURNING *
                    """,
                    [new.delegator, new.delegate, new.from, new.until, new.note, Timestamp.format(now)])
            else { throw StoreSQLError("the delegation insert returned no row") }
            let created = Self.delegation(row)
            try await IdempotencyLog.record(claim, entity: "delegation:\(created.id)", at: now, in: session)
            var entry = audit
            entry.entity = "delegation:\(created.id)"
            try await Journal.append(entry, at: now, in: session)
            return created
        }
    }

    public func endDelegation(id: String, by: String, expectedRevision: Int64?, today: String, audit: AuditEntry)
        async throws -> Delegation
    {
        guard let number = Self.number(id, prefix: "DL") else { throw DomainError(.notFound, "no delegation \(id)") }
        let now = clock()
        return try await write { session in
            guard
                let current = try await session.row("SELECT * FROM delegation WHERE id = ? FOR UPDATE", [number]).map(
                    Self.delegation)
            else { throw DomainError(.notFound, "no delegation \(id)") }
            if let expectedRevision, expectedRevision != current.revision {
                throw DomainError(
                    .conflict, "delegation \(id) changed since revision \(expectedRevision)",
                    details: [("current", String(current.revision))])
            }
            let state = current.state(on: today)
            guard state == .scheduled || state == .active else {
                throw DomainError(.invalid, "delegation \(id) is already \(state.rawValue)")
            }
            guard
                let row = try await session.row(
                    "UPDATE delegation SET ended_at = ?, ended_by = ?, revision = revision + 1 WHERE id = ? RETURNING *",
                    [Timestamp.format(now), by, number])
            else { throw DomainError(.notFound, "no delegation \(id)") }
            try await Journal.append(audit, at: now, in: session)
            return Self.delegation(row)
        }
    }
}
