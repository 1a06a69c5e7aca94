public import CaseLineDomain
import CaseLineStore
import Foundation
import GRDB

extension SQLiteStore {
    private static let decoder = JSONDecoder()

    /// A case's lists (households, submitters, documents) are JSON arrays of plain strings; decoding them
    /// with JSONDecoder was a tenth of a case read (perf, 2026-11-26). Arrays with escapes still go to it.
    static func strings(_ text: String?) -> [String] {
        guard let text else { return [] }
        return JSONStrings.plain(text) ?? (try? decoder.decode([String].self, from: Data(text.utf8))) ?? []
    }

    static func caseFile(_ row: Row) -> CaseFile {
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

    static func fetchCase(_ number: Int64, _ db: Database) throws -> CaseFile? {
        try Row.decodeOne(
            try db.cachedStatement(sql: "SELECT * FROM case_file WHERE id = ?"), arguments: [number],
            as: caseFile)
    }

    /// The year of an instant, as the store writes times (`Timestamp`): a case's programme year by default.
    static func year(_ date: Date) -> Int { Int(Timestamp.format(date).prefix(4)) ?? 2000 }

    public func cases(communes: Set<String>?) async throws -> [CaseFile] {
        try readNow { db in
            try Row.decodeAll(
                try db.cachedStatement(sql: "SELECT * FROM case_file ORDER BY id DESC"), as: Self.caseFile
            )
            .filter { communes?.contains($0.commune) ?? true }
        }
    }

    public func cases(state: CaseFile.State) async throws -> [CaseFile] {
        try readNow { db in
            try Row.decodeAll(
                try db.cachedStatement(sql: "SELECT * FROM case_file WHERE state = ? ORDER BY id DESC"),
                arguments: [state.rawValue], as: Self.caseFile)
        }
    }

    public func caseFile(id: String) async throws -> CaseFile? {
        guard let number = Self.number(id, prefix: "C") else { return nil }
        return try readNow { db in try Self.fetchCase(number, db) }
    }

    /// Every column a case write sets, in one place for insert and update.
    static func columns(_ file: CaseFile) -> [(String, (any DatabaseValueConvertible)?)] {
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
        return try await write { db in
            let columns =
                Self.columns(file) + [
                    ("created_at", Timestamp.format(now)), ("updated_at", Timestamp.format(now)),
                    ("programme_year", file.year ?? Self.year(now)),
                ]
            try db.execute(
                sql: "INSERT INTO case_file (\(columns.map(\.0).joined(separator: ", "))) VALUES ("
                    + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")",
                arguments: StatementArguments(columns.map(\.1)))
            let number = db.lastInsertedRowID
            try IdempotencyLog.record(claim, entity: "case:C-\(number)", at: now, in: db)
            var entry = audit
            entry.entity = "case:C-\(number)"
            try AuditChain.append(entry, at: now, in: db)
            return try Self.fetchCase(number, db)!
        }
    }

    public func saveCase(_ file: CaseFile, expectedRevision: Int64, steps: [CaseStep], audit: AuditEntry)
        async throws -> CaseFile
    {
        guard let number = Self.number(file.id, prefix: "C") else { throw DomainError(.notFound, "no case \(file.id)") }
        let now = clock()
        return try await write { db in
            var columns = Self.columns(file) + [("updated_at", Timestamp.format(now))]
            if let year = file.year { columns.append(("programme_year", year)) }
            try db.execute(
                sql: "UPDATE case_file SET \(columns.map { "\($0.0) = ?" }.joined(separator: ", ")), "
                    + "revision = revision + 1 WHERE id = ? AND revision = ?",
                arguments: StatementArguments(columns.map(\.1) + [number, expectedRevision]))
            guard db.changesCount == 1 else {
                guard
                    let current = try Int64.fetchOne(
                        try db.cachedStatement(sql: "SELECT revision FROM case_file WHERE id = ?"), arguments: [number])
                else { throw DomainError(.notFound, "no case \(file.id)") }
                throw DomainError(
                    .conflict, "case \(file.id) changed since revision \(expectedRevision)",
                    details: [("current", String(current))])
            }
            for step in steps {
                try db.executeCached(
                    sql: """
                        INSERT OR REPLACE INTO case_step (case_id, round, n, step, state, waiting_since, by,
                            on_behalf_of, delegation, at, note, reason)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        number, step.round, step.number, step.step.description, step.state.rawValue,
                        step.waitingSince.map(Timestamp.format), step.by, step.onBehalfOf, step.delegation,
                        step.at.map(Timestamp.format), step.note, step.reason,
                    ])
            }
            try AuditChain.append(audit, at: now, in: db)
            return try Self.fetchCase(number, db)!
        }
    }

    public func steps(caseID: String) async throws -> [CaseStep] {
        guard let number = Self.number(caseID, prefix: "C") else { return [] }
        return try readNow { db in
            try Row.decodeAll(
                try db.cachedStatement(sql: "SELECT * FROM case_step WHERE case_id = ? ORDER BY round, n"),
                arguments: [number]
            ) { row in
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
        return try readNow { db in
            // Households arrive with their own migration; until then no household exists.
            guard try db.tableExists("household") else { return [:] }
            var found: [String: String] = [:]
            let rows = try Row.fetchCursor(
                try db.cachedStatement(sql: "SELECT id, commune FROM household WHERE " + Self.among("id")),
                arguments: [Self.json(numbers)])
            while let row = try rows.next() { found["HH-\(row["id"] as Int64)"] = row["commune"] }
            return found
        }
    }

    // MARK: Chains

    public func chains() async throws -> [ApprovalChain] {
        try readNow { db in
            var stored: [String: ApprovalChain] = [:]
            let rows = try Row.fetchCursor(try db.cachedStatement(sql: "SELECT * FROM approval_chain"))
            while let row = try rows.next() {
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
        return try await write { db in
            let current =
                try Int64.fetchOne(
                    try db.cachedStatement(sql: "SELECT revision FROM approval_chain WHERE kind = ?"),
                    arguments: [chain.kind.rawValue])
                ?? 1
            if let expectedRevision, expectedRevision != current {
                throw DomainError(
                    .conflict, "the chain of \(chain.kind.rawValue) changed since revision \(expectedRevision)",
                    details: [("current", String(current))])
            }
            try db.executeCached(
                sql: """
                    INSERT INTO approval_chain (kind, steps, updated_by, updated_at, revision) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(kind) DO UPDATE SET steps = excluded.steps, updated_by = excluded.updated_by,
                        updated_at = excluded.updated_at, revision = excluded.revision
                    """,
                arguments: [
                    chain.kind.rawValue, ChainStep.list(chain.steps), chain.updatedBy, Timestamp.format(now),
                    current + 1,
                ])
            try AuditChain.append(audit, at: now, in: db)
            var saved = chain
            saved.updatedAt = Timestamp.parse(Timestamp.format(now))
            saved.revision = current + 1
            return saved
        }
    }

    // MARK: Delegations

    static func delegation(_ row: Row) -> Delegation {
        Delegation(
            id: "DL-\(row["id"] as Int64)", delegator: row["delegator"], delegate: row["delegate"],
            from: row["from_day"], until: row["until_day"], note: row["note"],
            createdAt: Timestamp.parse(row["created_at"]) ?? Date(timeIntervalSince1970: 0),
            endedAt: (row["ended_at"] as String?).flatMap(Timestamp.parse), endedBy: row["ended_by"],
            revision: row["revision"])
    }

    public func delegations() async throws -> [Delegation] {
        try readNow { db in
            try Row.decodeAll(
                try db.cachedStatement(sql: "SELECT * FROM delegation ORDER BY from_day DESC, id DESC"),
                as: Self.delegation)
        }
    }

    public func delegation(id: String) async throws -> Delegation? {
        guard let number = Self.number(id, prefix: "DL") else { return nil }
        return try readNow { db in
            try Row.decodeOne(
                try db.cachedStatement(sql: "SELECT * FROM delegation WHERE id = ?"), arguments: [number],
                as: Self.delegation)
        }
    }

    public func createDelegation(_ new: Delegation, today: String, claim: IdempotencyClaim?, audit: AuditEntry)
        async throws -> Delegation
    {
        let now = clock()
        return try await write { db in
            let open = try Row.decodeAll(
                try db.cachedStatement(
                    sql: "SELECT * FROM delegation WHERE delegator = ? AND ended_at IS NULL AND until_day >= ?"),
                arguments: [new.delegator, today], as: Self.delegation)
            if let clash = open.first(where: { $0.from <= new.until && new.from <= $0.until }) {
                throw DomainError(
                    .invalid,
                    "the window overlaps \(clash.id) (\(clash.delegate), \(clash.from) to \(clash.until)); end it first"
                )
            }
            try db.executeCached(
                sql: """
                    INSERT INTO delegation (delegator, delegate, from_day, until_day, note, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [new.delegator, new.delegate, new.from, new.until, new.note, Timestamp.format(now)])
            let number = db.lastInsertedRowID
            try IdempotencyLog.record(claim, entity: "delegation:DL-\(number)", at: now, in: db)
            var entry = audit
            entry.entity = "delegation:DL-\(number)"
            try AuditChain.append(entry, at: now, in: db)
            return try Row.decodeOne(
                try db.cachedStatement(sql: "SELECT * FROM delegation WHERE id = ?"), arguments: [number],
                as: Self.delegation)!
        }
    }

    public func endDelegation(id: String, by: String, expectedRevision: Int64?, today: String, audit: AuditEntry)
        async throws -> Delegation
    {
        guard let number = Self.number(id, prefix: "DL") else { throw DomainError(.notFound, "no delegation \(id)") }
        let now = clock()
        return try await write { db in
            guard
                let current = try Row.decodeOne(
                    try db.cachedStatement(sql: "SELECT * FROM delegation WHERE id = ?"), arguments: [number],
                    as: Self.delegation)
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
            try db.executeCached(
                sql: "UPDATE delegation SET ended_at = ?, ended_by = ?, revision = revision + 1 WHERE id = ?",
                arguments: [Timestamp.format(now), by, number])
            try AuditChain.append(audit, at: now, in: db)
            return try Row.decodeOne(
                try db.cachedStatement(sql: "SELECT * FROM delegation WHERE id = ?"), arguments: [number],
                as: Self.delegation)!
        }
    }
}
