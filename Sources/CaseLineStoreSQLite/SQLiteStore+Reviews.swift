public import CaseLineDomain
public import CaseLineStore
import Foundation
import GRDB

/// Review campaigns, their decided assessments and certificates, and office holdings (Store, "Poverty
/// reviews"). A campaign is kept whole as JSON — it is the machine's state, loaded and saved as one value —
/// with the columns its uniqueness rules and selections need beside it; assessments and certificates are rows
/// of their own, append-only, because reports read them across campaigns.
extension SQLiteStore {
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

    static func fetchCampaign(_ number: Int64, _ db: Database) throws -> ReviewCampaign? {
        try String.fetchOne(db, sql: "SELECT body FROM review_campaign WHERE id = ?", arguments: [number])
            .map { try decode(ReviewCampaign.self, $0) }
    }

    public func reviewCampaigns(communes: Set<String>?, reviewYear: Int?) async throws -> [ReviewCampaign] {
        try readNow { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let communes {
                if communes.isEmpty { return [] }
                conditions.append(
                    "commune IN (" + Array(repeating: "?", count: communes.count).joined(separator: ",") + ")")
                arguments += communes.sorted()
            }
            if let reviewYear {
                conditions.append("review_year = ?")
                arguments.append(reviewYear)
            }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return try String.fetchAll(
                db, sql: "SELECT body FROM review_campaign" + filter + " ORDER BY id",
                arguments: StatementArguments(arguments)
            ).map { try Self.decode(ReviewCampaign.self, $0) }
        }
    }

    /// ` WHERE a = ? AND b = ?` for the filters given (nil: no filter), with their arguments.
    static func equalities(_ filters: [(String, (any DatabaseValueConvertible)?)]) -> (String, StatementArguments) {
        let given = filters.compactMap { column, value in value.map { (column, $0) } }
        guard !given.isEmpty else { return ("", []) }
        return (
            " WHERE " + given.map { "\($0.0) = ?" }.joined(separator: " AND "), StatementArguments(given.map(\.1))
        )
    }

    public func reviewCampaign(id: String) async throws -> ReviewCampaign? {
        guard let number = Self.number(id, prefix: "RC") else { return nil }
        return try readNow { db in try Self.fetchCampaign(number, db) }
    }

    public func openReviewCampaign(
        claim: IdempotencyClaim?, build: @escaping @Sendable (String) throws -> ReviewOpening
    ) async throws -> ReviewCampaign {
        let now = clock()
        return try await write { db in
            let campaign = try Self.insertCampaign(build, at: now, db)
            try IdempotencyLog.record(claim, entity: "review:\(campaign.id)", at: now, in: db)
            return campaign
        }
    }

    /// Opens a campaign within the caller's transaction: the next `RC-n`, the builder's step, the uniqueness
    /// rules, its effects and its audit record.
    static func insertCampaign(
        _ build: (String) throws -> ReviewOpening, at now: Date, _ db: Database
    ) throws -> ReviewCampaign {
        // One writer: the number read here is the one the insert takes.
        let number =
            (try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'review_campaign'") ?? 0) + 1
        let id = "RC-\(number)"
        let opening = try build(id)
        let (step, audit) = (opening.step, opening.audit)
        let campaign = step.campaign
        guard campaign.id == id else {
            throw DomainError(.internalError, "the opening step names \(campaign.id), not \(id)")
        }
        let existing: Int64?
        switch campaign.kind {
        case .periodic:
            existing = try Int64.fetchOne(
                db,
                sql: "SELECT id FROM review_campaign WHERE kind = 'periodic' AND commune = ? AND review_year = ?",
                arguments: [campaign.commune, campaign.reviewYear])
        case .adHoc:
            existing = try Int64.fetchOne(
                db,
                sql: "SELECT id FROM review_campaign WHERE kind = 'ad-hoc' AND commune = ? AND review_start = ?",
                arguments: [campaign.commune, campaign.reviewStart.description])
        }
        if let existing {
            throw DomainError(
                .alreadyExists,
                campaign.kind == .periodic
                    ? "commune \(campaign.commune) already has its periodic review of \(campaign.reviewYear)"
                    : "commune \(campaign.commune) already has an ad-hoc review starting \(campaign.reviewStart)",
                details: [("campaign", "RC-\(existing)")])
        }
        try db.execute(
            sql: """
                INSERT INTO review_campaign (id, commune, kind, review_year, list_year, review_start, stage,
                                             revision, body, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                number, campaign.commune, campaign.kind.rawValue, campaign.reviewYear, campaign.listYear,
                campaign.reviewStart.description, campaign.stage.rawValue, campaign.revision,
                try encode(campaign), Timestamp.format(now), Timestamp.format(now),
            ])
        try keepEffects(step, at: now, db)
        var entry = audit
        entry.entity = "review:\(id)"
        try AuditChain.append(entry, at: now, in: db)
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
        return try await write { db in
            try Self.store(step, number: number, expectedRevision: expectedRevision, audit: audit, at: now, db)
            return campaign
        }
    }

    /// Saves a step within the caller's transaction: compare-and-swap on the revision, its effects, its audit.
    static func store(
        _ step: ReviewStep, number: Int64, expectedRevision: Int, audit: AuditEntry, at now: Date, _ db: Database
    ) throws {
        let campaign = step.campaign
        try db.execute(
            sql: """
                UPDATE review_campaign SET stage = ?, revision = ?, body = ?, updated_at = ?
                WHERE id = ? AND revision = ?
                """,
            arguments: [
                campaign.stage.rawValue, campaign.revision, try encode(campaign), Timestamp.format(now), number,
                expectedRevision,
            ])
        if db.changesCount != 1 {
            guard
                let current = try Int64.fetchOne(
                    db, sql: "SELECT revision FROM review_campaign WHERE id = ?", arguments: [number])
            else { throw DomainError(.notFound, "no review campaign \(campaign.id)") }
            throw DomainError(
                .conflict, "review campaign \(campaign.id) changed since revision \(expectedRevision)",
                details: [("current", String(current))])
        }
        try keepEffects(step, at: now, db)
        try AuditChain.append(audit, at: now, in: db)
    }

    /// Writes what a step's effects keep. Deadlines are read from the campaigns themselves by the scheduler.
    static func keepEffects(_ step: ReviewStep, at now: Date, _ db: Database) throws {
        for effect in step.effects {
            switch effect {
            case .recordAssessment(var assessment):
                guard
                    try Int.fetchOne(
                        db.cachedStatement(sql: "SELECT 1 FROM review_assessment WHERE household = ? AND campaign = ?"),
                        arguments: [assessment.household, assessment.campaign]) == nil
                else {
                    throw DomainError(
                        .alreadyExists,
                        "household \(assessment.household) already has its assessment of \(assessment.campaign)")
                }
                // Persons as the decision found them; an imported list says how many it counted.
                if assessment.persons == nil { assessment.persons = try persons(assessment.household, db) }
                try db.executeCached(
                    sql: """
                        INSERT INTO review_assessment (household, campaign, kind, review_year, list_year, commune,
                                                       village, class, decision_date, persons, body, recorded_at,
                                                       household_no, decision_day, campaign_no, class_code)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        assessment.household, assessment.campaign, assessment.kind.rawValue, assessment.reviewYear,
                        assessment.listYear, assessment.commune, assessment.village,
                        assessment.classification.rawValue, assessment.decision.date.description, assessment.persons,
                        try encode(assessment), Timestamp.format(now),
                        ListEntry.number(assessment.household), assessment.decision.date.dayCode,
                        ListEntry.number(assessment.campaign), ListEntry.code(assessment.classification),
                    ])
            case .issueCertificate(let certificate):
                let year = certificate.issued.year
                if let holder = try String.fetchOne(
                    db,
                    sql: "SELECT household FROM poverty_certificate WHERE commune = ? AND issue_year = ? AND seq = ?",
                    arguments: [certificate.commune, year, certificate.number.sequence])
                {
                    throw DomainError(
                        .alreadyExists,
                        "certificate \(certificate.number) of \(year) in commune \(certificate.commune) was issued "
                            + "to \(holder)", details: [("household", holder)])
                }
                try db.execute(
                    sql: """
                        INSERT INTO poverty_certificate (commune, issue_year, seq, household, campaign, list_year,
                                                         class, issued, body)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
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
    static func persons(_ household: String, _ db: Database) throws -> Int? {
        guard let number = number(household, prefix: "HH"),
            try Int.fetchOne(db, sql: "SELECT 1 FROM household WHERE id = ?", arguments: [number]) != nil
        else { return nil }
        let members =
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM person WHERE household = ? AND removed_at IS NULL", arguments: [number])
            ?? 0
        return 1 + members
    }

    public func reviewAssessments(commune: String?, household: String?, listYear: Int?) async throws
        -> [ReviewAssessment]
    {
        try readNow { db in
            let (filter, arguments) = Self.equalities([
                ("commune", commune), ("household", household), ("list_year", listYear),
            ])
            return try String.fetchAll(
                db,
                sql: "SELECT body FROM review_assessment" + filter
                    + " ORDER BY list_year, decision_date, length(campaign), campaign, length(household), household",
                arguments: arguments
            ).map { try Self.decode(ReviewAssessment.self, $0) }
        }
    }

    public func povertyCertificates(campaign: String?, household: String?) async throws -> [PovertyCertificate] {
        try readNow { db in
            let (filter, arguments) = Self.equalities([("campaign", campaign), ("household", household)])
            return try String.fetchAll(
                db, sql: "SELECT body FROM poverty_certificate" + filter + " ORDER BY rowid",
                arguments: arguments
            ).map { try Self.decode(PovertyCertificate.self, $0) }
        }
    }

    public func nextCertificateSequence(commune: String, year: Int) async throws -> Int {
        try readNow { db in
            (try Int.fetchOne(
                db, sql: "SELECT max(seq) FROM poverty_certificate WHERE commune = ? AND issue_year = ?",
                arguments: [commune, year]) ?? 0) + 1
        }
    }

    // MARK: Offices

    public func officeHoldings(unit: String?, login: String?) async throws -> [OfficeHolding] {
        try readNow { db in
            let (filter, arguments) = Self.equalities([("unit", unit), ("login", login)])
            return try String.fetchAll(
                db, sql: "SELECT body FROM office_holding" + filter + " ORDER BY id",
                arguments: arguments
            ).map { try Self.decode(OfficeHolding.self, $0) }
        }
    }

    public func assignOffice(_ holding: OfficeHolding, audit: AuditEntry) async throws -> OfficeHolding {
        let now = clock()
        return try await write { db in
            let same = try String.fetchAll(
                db, sql: "SELECT body FROM office_holding WHERE unit = ? AND login = ?",
                arguments: [holding.office.unit, holding.login]
            ).map { try Self.decode(OfficeHolding.self, $0) }
            if let clash = same.first(where: { $0.office == holding.office && $0.overlaps(holding) }) {
                throw DomainError(
                    .invalid,
                    "\(holding.login) already holds \(holding.office) from \(clash.from)"
                        + (clash.through.map { " through \($0)" } ?? ""), details: [("office", clash.id ?? "")])
            }
            let number =
                (try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'office_holding'") ?? 0) + 1
            var kept = holding
            kept.id = "OF-\(number)"
            try db.execute(
                sql: "INSERT INTO office_holding (id, unit, login, body, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [number, holding.office.unit, holding.login, try Self.encode(kept), Timestamp.format(now)])
            var entry = audit
            entry.entity = "office:OF-\(number)"
            try AuditChain.append(entry, at: now, in: db)
            return kept
        }
    }

    public func endOffice(id: String, through: CivilDate, audit: AuditEntry) async throws -> OfficeHolding {
        let now = clock()
        return try await write { db in
            guard let number = Self.number(id, prefix: "OF"),
                let body = try String.fetchOne(
                    db, sql: "SELECT body FROM office_holding WHERE id = ?", arguments: [number])
            else { throw DomainError(.notFound, "no office holding \(id)") }
            var holding = try Self.decode(OfficeHolding.self, body)
            if let ended = holding.through {
                throw DomainError(.invalid, "holding \(id) already ended on \(ended)")
            }
            guard through >= holding.from else {
                throw DomainError(.invalid, "holding \(id) starts \(holding.from), after \(through)")
            }
            holding.through = through
            try db.execute(
                sql: "UPDATE office_holding SET body = ? WHERE id = ?", arguments: [try Self.encode(holding), number])
            try AuditChain.append(audit, at: now, in: db)
            return holding
        }
    }
}
