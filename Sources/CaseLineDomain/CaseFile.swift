public import Foundation

/// A request for a decision on support or a result in one commune (CLP1.md §10.9). Named `CaseFile`
/// because `case` is a Swift keyword.
public struct CaseFile: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case housingNew = "housing-new"
        case housingRepair = "housing-repair"
        case livelihood
        case healthInsurance = "health-insurance"
        case vocational
        case reviewResult = "review-result"
        case exitPoverty = "exit-poverty"
        case inspection

        /// Kinds that pay money need an amount and its funding before they can be submitted.
        public var needsFunding: Bool {
            [.housingNew, .housingRepair, .livelihood, .healthInsurance, .vocational].contains(self)
        }

        /// Every kind but vocational classes and inspections concerns named households.
        public var needsHouseholds: Bool { self != .vocational && self != .inspection }

        /// A house is built or repaired: the case records its progress after approval.
        public var isHousing: Bool { self == .housingNew || self == .housingRepair }
    }

    public enum State: String, Sendable, Hashable, CaseIterable {
        case draft, submitted, approved, rejected, returned

        /// Only drafts and returned cases can be edited and submitted.
        public var isEditable: Bool { self == .draft || self == .returned }
    }

    /// One source's share of the amount.
    public struct Funding: Sendable, Hashable {
        public var source: String
        public var amount: Int64

        public init(source: String, amount: Int64) {
            self.source = source
            self.amount = amount
        }
    }

    public var id: String
    public var kind: Kind
    public var commune: String
    public var title: String
    public var description: String?
    public var state: State
    public var amount: Int64?
    public var funding: [Funding]
    public var households: [String]
    public var documents: [String]
    public var creator: String
    /// The latest submitter, and everyone who ever submitted it: none of them may decide it.
    public var submitter: String?
    public var submitters: Set<String>
    /// Everyone who changed its content after it was created (CASE UPDATE): none of them may decide it either,
    /// or a chair could write an amount, have someone else submit it, and approve it alone.
    public var editors: Set<String>
    public var submittedAt: Date?
    public var waitingSince: Date?
    public var decidedAt: Date?
    /// Submission round (0 before the first submission) and the chain snapshotted then.
    public var round: Int
    public var chain: [ChainStep]
    /// The waiting step (submitted) or the step that decided (approved, rejected, returned), from 1.
    public var step: Int
    public var createdAt: Date
    public var updatedAt: Date
    public var revision: Int64
    /// The programme year the case counts in (reports); the store stores the year of creation when nil.
    public var year: Int?
    /// Who benefits, by category (reports count them).
    public var beneficiaries: Beneficiaries
    /// A house's progress after approval (housing kinds only).
    public var progress: HousingProgress
    /// The decision's reference as a province's records give it (imported cases of past years).
    public var decision: String?
    /// Where an imported case came from; nil for cases made in CaseLine.
    public var imported: ImportMark?

    public init(
        id: String = "", kind: Kind, commune: String, title: String, description: String? = nil,
        state: State = .draft, amount: Int64? = nil, funding: [Funding] = [], households: [String] = [],
        documents: [String] = [], creator: String, submitter: String? = nil, submitters: Set<String> = [],
        editors: Set<String> = [],
        submittedAt: Date? = nil, waitingSince: Date? = nil, decidedAt: Date? = nil, round: Int = 0,
        chain: [ChainStep] = [], step: Int = 0, createdAt: Date = Date(), updatedAt: Date = Date(),
        revision: Int64 = 1, year: Int? = nil, beneficiaries: Beneficiaries = Beneficiaries(),
        progress: HousingProgress = HousingProgress(), decision: String? = nil, imported: ImportMark? = nil
    ) {
        self.id = id
        self.kind = kind
        self.commune = commune
        self.title = title
        self.description = description
        self.state = state
        self.amount = amount
        self.funding = funding
        self.households = households
        self.documents = documents
        self.creator = creator
        self.submitter = submitter
        self.submitters = submitters
        self.editors = editors
        self.submittedAt = submittedAt
        self.waitingSince = waitingSince
        self.decidedAt = decidedAt
        self.round = round
        self.chain = chain
        self.step = step
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.revision = revision
        self.year = year
        self.beneficiaries = beneficiaries
        self.progress = progress
        self.decision = decision
        self.imported = imported
    }

    /// `NO [INVALID]` text when the money does not add up, else nil.
    public var fundingProblem: String? {
        if funding.isEmpty { return nil }
        guard let amount else { return "funding= needs amount=" }
        let total = funding.reduce(Int64(0)) { $0 + $1.amount }
        return total == amount ? nil : "funding adds up to \(total), not amount \(amount)"
    }

    /// The people who may decide no step of it: four-eyes (CLP1.md §10.10).
    public var excludedDeciders: Set<String> { submitters.union(editors).union([creator]) }

    /// What a submission still lacks for this kind, or nil when complete.
    public var incompleteness: String? {
        var missing: [String] = []
        if kind.needsFunding && ((amount ?? 0) <= 0 || funding.isEmpty) { missing.append("an amount with its funding") }
        if kind.needsHouseholds && households.isEmpty { missing.append("at least one household") }
        return missing.isEmpty ? nil : "a \(kind.rawValue) case needs \(missing.joined(separator: " and "))"
    }
}
