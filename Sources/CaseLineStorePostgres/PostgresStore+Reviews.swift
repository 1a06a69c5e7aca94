public import CaseLineDomain
public import CaseLineStore
import Foundation

/// Review campaigns, their decided assessments and certificates, and office holdings, as the SQLite store keeps
/// them: a campaign whole as JSON beside the columns its rules and selections need; assessments and
/// certificates as append-only rows.
extension PostgresStore {
    static let reviewEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try reviewEncoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    /// `SELECT body FROM table [WHERE column = ? AND …] ORDER BY order`, decoded.
    static func bodies<T: Decodable>(
        _ type: T.Type, from table: String, _ filters: [(String, (any SQLValue)?)], order: String,
        _ session: SQLSession
    ) async throws -> [T] {
        let given = filters.compactMap { filter in filter.1.map { (filter.0, $0) } }
        let filter = given.isEmpty ? "" : " WHERE " + given.map { "\($0.0) = ?" }.joined(separator: " AND ")
        return try await session.rows("SELECT body FROM \(table)" + filter + " ORDER BY " + order, given.map(\.1))
            .map { try decode(type, $0["body"]) }
    }

    public func reviewCampaigns(communes: Set<String>?, reviewYear: Int?) async throws -> [ReviewCampaign] {
        if let communes, communes.isEmpty { return [] }
        return try await read { session in
            var conditions: [String] = []
            var arguments: [any SQLValue] = []
            if let communes {
                conditions.append(Self.among("commune"))
                arguments.append(Self.json(communes.sorted()))
            }
            if let reviewYear {
                conditions.append("review_year = ?")
                arguments.append(reviewYear)
            }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return try await session.rows("SELECT body FROM review_campaign" + filter + " ORDER BY id", arguments)
                .map { try Self.decode(ReviewCampaign.self, $0["body"]) }
        }
    }

    public func reviewCampaign(id: String) async throws -> ReviewCampaign? {
        guard let number = Self.number(id, prefix: "RC") else { return nil }
        return try await read { session in
            try await session.row("SELECT body FROM review_campaign WHERE id = ?", [number]).map {
                try Self.decode(ReviewCampaign.self, $0["body"])
            }
        }
    }

    public func openReviewCampaign(
        claim: IdempotencyClaim?, build: @escaping @Sendable (String) throws -> ReviewOpening
    ) async throws -> ReviewCampaign {
        let now = clock()
        return try await write { session in
            let campaign = try await Self.insertCampaign(build, at: now, session)
            try await IdempotencyLog.record(claim, entity: "review:\(campaign.id)", at: now, in: session)
            return campaign
        }
    }

    /// Opens a campaign within the caller's transaction: the next `RC-n` from the sequence (several writers:
    /// each gets its own), the builder's step, the uniqueness rules, its effects and its audit record.
    static func insertCampaign(
        _ build: (String) throws -> ReviewOpening, at now: Date, _ session: SQLSession
    ) async throws -> ReviewCampaign {
        guard
            let number: Int64 = try await session.row(
                "SELECT nextval(pg_get_serial_sequence('review_campaign', 'id')) AS n")?["n"]
        else { throw StoreSQLError("no number for a review campaign") }
        let id = "RC-\(number)"
        let opening = try build(id)
        let (step, audit) = (opening.step, opening.audit)
        let campaign = step.campaign
        guard campaign.id == id else {
            throw DomainError(.internalError, "the opening step names \(campaign.id), not \(id)")
        }
        // The partial unique indexes state these rules; this check gives the contract's answer (and a writer
        // that lost a race to the index meets the winner here on its retry).
        let existing: Int64? =
            switch campaign.kind {
            case .periodic:
                try await session.row(
                    "SELECT id FROM review_campaign WHERE kind = 'periodic' AND commune = ? AND review_year = ?",
                    [campaign.commune, campaign.reviewYear])?["id"]
            case .adHoc:
                try await session.row(
                    "SELECT id FROM review_campaign WHERE kind = 'ad-hoc' AND commune = ? AND review_start = ?",
                    [campaign.commune, campaign.reviewStart.description])?["id"]
            }
        if let existing {
            throw DomainError(
                .alreadyExists,
                campaign.kind == .periodic
                    ? "commune \(campaign.commune) already has its periodic review of \(campaign.reviewYear)"
                    : "commune \(campaign.commune) already has an ad-hoc review starting \(campaign.reviewStart)",
                details: [("campaign", "RC-\(existing)")])
        }
        try await session.execute(
            """
            INSERT INTO review_campaign (id, commune, kind, review_year, list_year, review_start, stage,
                                         revision, body, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                number, campaign.commune, campaign.kind.rawValue, campaign.reviewYear, campaign.listYear,
                campaign.reviewStart.description, campaign.stage.rawValue, campaign.revision,
                try encode(campaign), Timestamp.format(now), Timestamp.format(now),
            ])
        try await keepEffects(step, at: now, session)
        var entry = audit
        entry.entity = "review:\(id)"
        try await Journal.append(entry, at: now, in: session)
        return campaign
    }

    public func saveReviewCampaign(_ step: ReviewStep, expectedRevision: Int, audit: AuditEntry) async throws
        -> ReviewCampaign
    {
        let campaign = step.campaign
        guard let number = Self.number(campaign.id, prefix: "RC") else {
            throw DomainError(.notFound, "no review campaign \(campaign.id)")
        }
        let now = clock()
        return try await write { session in
            try await Self.store(
                step, number: number, expectedRevision: expectedRevision, audit: audit, at: now, session)
            return campaign
        }
    }

    /// Saves a step within the caller's transaction: compare-and-swap on the revision, its effects, its audit.
    static func store(
        _ step: ReviewStep, number: Int64, expectedRevision: Int, audit: AuditEntry, at now: Date,
        _ session: SQLSession
    ) async throws {
        let campaign = step.campaign
        let changed = try await session.execute(
            """
            UPDATE review_campaign SET stage = ?, revision = ?, body = ?, updated_at = ?
            WHERE id = ? AND revision = ? RETURNING 1
            """,
            [
                campaign.stage.rawValue, campaign.revision, try encode(campaign), Timestamp.format(now), number,
                expectedRevision,
            ])
        if changed != 1 {
            guard
                let current: Int64 = try await session.row(
                    "SELECT revision FROM review_campaign WHERE id = ?", [number])?["revision"]
            else { throw DomainError(.notFound, "no review campaign \(campaign.id)") }
            throw DomainError(
                .conflict, "review campaign \(campaign.id) changed since revision \(expectedRevision)",
                details: [("current", String(current))])
        }
        try await keepEffects(step, at: now, session)
        try await Journal.append(audit, at: now, in: session)
    }

    /// Writes what a step's effects keep (primary keys back both checks). Deadlines are read from the
    /// campaigns themselves by the scheduler.
    static func keepEffects(_ step: ReviewStep, at now: Date, _ session: SQLSession) async throws {
        for effect in step.effects {
            switch effect {
            case .recordAssessment(var assessment):
                guard
                    try await session.row(
                        "SELECT 1 FROM review_assessment WHERE household = ? AND campaign = ?",
                        [assessment.household, assessment.campaign]) == nil
                else {
                    throw DomainError(
                        .alreadyExists,
                        "household \(assessment.household) already has its assessment of \(assessment.campaign)")
                }
                // Persons as the decision found them; an imported list says how many it counted.
                if assessment.persons == nil { assessment.persons = try await persons(assessment.household, session) }
                try await session.execute(
                    """
                    INSERT INTO review_assessment (household, campaign, kind, review_year, list_year, commune,
                                                   village, class, decision_date, persons, body, recorded_at,
                                                       household_no, decision_day, campaign_no, class_code)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        assessment.household, assessment.campaign, assessment.kind.rawValue, assessment.reviewYear,
                        assessment.listYear, assessment.commune, assessment.village,
                        assessment.classification.rawValue, assessment.decision.date.description,
                        assessment.persons, try encode(assessment), Timestamp.format(now),
                        ListEntry.number(assessment.household), assessment.decision.date.dayCode,
                        ListEntry.number(assessment.campaign), ListEntry.code(assessment.classification),
                    ])
            case .issueCertificate(let certificate):
                let year = certificate.issued.year
                if let holder: String = try await session.row(
                    "SELECT household FROM poverty_certificate WHERE commune = ? AND issue_year = ? AND seq = ?",
                    [certificate.commune, year, certificate.number.sequence])?["household"]
                {
                    throw DomainError(
                        .alreadyExists,
                        "certificate \(certificate.number) of \(year) in commune \(certificate.commune) was issued "
                            + "to \(holder)", details: [("household", holder)])
                }
                try await session.execute(
                    """
                    INSERT INTO poverty_certificate (commune, issue_year, seq, household, campaign, list_year,
                                                     class, issued, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        certificate.commune, year, certificate.number.sequence, certificate.household,
                        certificate.campaign, certificate.listYear, certificate.classification.rawValue,
                        certificate.issued.description, try encode(certificate),
                    ])
            case .armDeadline, .disarmDeadlines:
                break
            }
        }
    }

    /// The head and the members not removed.
    static func persons(_ household: String, _ session: SQLSession) async throws -> Int? {
        guard let number = number(household, prefix: "HH"),
            try await session.row("SELECT 1 FROM household WHERE id = ?", [number]) != nil
        else { return nil }
        let members: Int =
            try await session.row(
                "SELECT count(*) AS n FROM person WHERE household = ? AND removed_at IS NULL", [number])?["n"] ?? 0
        return 1 + members
    }

    public func reviewAssessments(commune: String?, household: String?, listYear: Int?) async throws
        -> [ReviewAssessment]
    {
        try await read { session in
            try await Self.bodies(
                ReviewAssessment.self, from: "review_assessment",
                [("commune", commune), ("household", household), ("list_year", listYear)],
                order: "list_year, decision_date, length(campaign), campaign, length(household), household", session)
        }
    }

    public func povertyCertificates(campaign: String?, household: String?) async throws -> [PovertyCertificate] {
        try await read { session in
            try await Self.bodies(
                PovertyCertificate.self, from: "poverty_certificate",
                [("campaign", campaign), ("household", household)],
                order: "issue_order", session)
        }
    }

    public func nextCertificateSequence(commune: String, year: Int) async throws -> Int {
        try await read { session in
            let last: Int =
                try await session.row(
                    "SELECT coalesce(max(seq), 0) AS m FROM poverty_certificate WHERE commune = ? AND issue_year = ?",
                    [commune, year])?["m"] ?? 0
            return last + 1
        }
    }

    // MARK: Offices

    public func officeHoldings(unit: String?, login: String?) async throws -> [OfficeHolding] {
        try await read { session in
            try await Self.bodies(
                OfficeHolding.self, from: "office_holding", [("unit", unit), ("login", login)], order: "id", session)
        }
    }

    public func assignOffice(_ holding: OfficeHolding, audit: AuditEntry) async throws -> OfficeHolding {
        let now = clock()
        return try await write { session in
            // Overlap of dated holdings is no constraint the schema can state over a JSON body: the holdings of
            // one login in one unit are checked one writer at a time, under a lock on that pair alone.
            try await session.execute(
                "SELECT pg_advisory_xact_lock(hashtext(?))", ["office:\(holding.office.unit):\(holding.login)"])
            let same = try await session.rows(
                "SELECT body FROM office_holding WHERE unit = ? AND login = ?", [holding.office.unit, holding.login]
            ).map { try Self.decode(OfficeHolding.self, $0["body"]) }
            if let clash = same.first(where: { $0.office == holding.office && $0.overlaps(holding) }) {
                throw DomainError(
                    .invalid,
                    "\(holding.login) already holds \(holding.office) from \(clash.from)"
                        + (clash.through.map { " through \($0)" } ?? ""), details: [("office", clash.id ?? "")])
            }
            guard
                let number: Int64 = try await session.row(
                    "SELECT nextval(pg_get_serial_sequence('office_holding', 'id')) AS n")?["n"]
            else { throw StoreSQLError("no number for an office holding") }
            var kept = holding
            kept.id = "OF-\(number)"
            try await session.execute(
                "INSERT INTO office_holding (id, unit, login, body, created_at) VALUES (?, ?, ?, ?, ?)",
                [number, holding.office.unit, holding.login, try Self.encode(kept), Timestamp.format(now)])
            var entry = audit
            entry.entity = "office:OF-\(number)"
            try await Journal.append(entry, at: now, in: session)
            return kept
        }
    }

    public func endOffice(id: String, through: CivilDate, audit: AuditEntry) async throws -> OfficeHolding {
        let now = clock()
        return try await write { session in
            guard let number = Self.number(id, prefix: "OF"),
                let body: String = try await session.row(
                    "SELECT body FROM office_holding WHERE id = ? FOR UPDATE", [number])?["body"]
            else { throw DomainError(.notFound, "no office holding \(id)") }
            var holding = try Self.decode(OfficeHolding.self, body)
            if let ended = holding.through {
                throw DomainError(.invalid, "holding \(id) already ended on \(ended)")
            }
            guard through >= holding.from else {
                throw DomainError(.invalid, "holding \(id) starts \(holding.from), after \(through)")
            }
            holding.through = through
            try await session.execute(
                "UPDATE office_holding SET body = ? WHERE id = ?", [try Self.encode(holding), number])
            try await Journal.append(audit, at: now, in: session)
            return holding
        }
    }
}
