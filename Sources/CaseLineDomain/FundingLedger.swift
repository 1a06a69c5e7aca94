public import Foundation

/// Whether central money pays for investment (capital works) or recurrent spending (sự nghiệp): QĐ 90
/// allocates the central budget under both heads, and a report must keep them apart.
public enum FundNature: String, Sendable, Hashable, CaseIterable {
    case investment, recurrent
}

/// Money a unit was given for a year, one QĐ 90 project or sub-project and one funding source, by a deciding
/// document (CLP1.md §10.13). An allocation is never changed: what was paid out of it (`Disbursement`) and
/// what was carried to a later year (an allocation with `carriedFrom`) are entries of their own.
public struct Allocation: Sendable, Hashable {
    /// `AL-n`, given by the store.
    public var id: String
    /// The programme year the money is for.
    public var year: Int
    /// The unit as records store it: a commune or a province, `CODE` (2025 edition) or `legacy:CODE`.
    public var unit: String
    public var project: ProgrammeComponent
    public var source: FundingSource
    /// Required for central money, optional otherwise.
    public var nature: FundNature?
    /// Whole đồng, more than 0.
    public var amount: Int64
    /// The deciding document (số quyết định), or for a carry-over the document that carried it.
    public var document: String
    /// `AL-m` when this allocation is an unspent remainder carried over from an earlier year's allocation.
    public var carriedFrom: String?
    public var note: String?
    public var by: String
    public var recordedAt: Date

    public init(
        id: String = "", year: Int, unit: String, project: ProgrammeComponent, source: FundingSource,
        nature: FundNature? = nil, amount: Int64, document: String, carriedFrom: String? = nil, note: String? = nil,
        by: String, recordedAt: Date = Date()
    ) {
        self.id = id
        self.year = year
        self.unit = unit
        self.project = project
        self.source = source
        self.nature = nature
        self.amount = amount
        self.document = document
        self.carriedFrom = carriedFrom
        self.note = note
        self.by = by
        self.recordedAt = recordedAt
    }
}

/// A payment out of an allocation, dated: a direct entry or the payment of an approved case (`caseID`).
public struct Disbursement: Sendable, Hashable {
    /// `DB-n`, given by the store.
    public var id: String
    /// `AL-n`.
    public var allocation: String
    public var amount: Int64
    /// The day the money was paid.
    public var date: CivilDate
    /// `C-n`: the approved case this pays.
    public var caseID: String?
    public var document: String?
    /// Why the payment was allowed beyond what the allocation had left; nil for a payment within it.
    public var override: String?
    public var by: String
    public var recordedAt: Date

    public init(
        id: String = "", allocation: String, amount: Int64, date: CivilDate, caseID: String? = nil,
        document: String? = nil, override: String? = nil, by: String, recordedAt: Date = Date()
    ) {
        self.id = id
        self.allocation = allocation
        self.amount = amount
        self.date = date
        self.caseID = caseID
        self.document = document
        self.override = override
        self.by = by
        self.recordedAt = recordedAt
    }
}

/// Where one allocation stands: what it holds, what was paid out of it and carried away from it.
public struct FundBalance: Sendable, Hashable {
    public var amount: Int64
    public var disbursed: Int64
    public var carriedOut: Int64
    /// How many of its disbursements went beyond the balance by override.
    public var overrides: Int

    public init(amount: Int64, disbursed: Int64 = 0, carriedOut: Int64 = 0, overrides: Int = 0) {
        self.amount = amount
        self.disbursed = disbursed
        self.carriedOut = carriedOut
        self.overrides = overrides
    }

    /// What may still be paid or carried; negative only after an override.
    public var available: Int64 { amount - disbursed - carriedOut }
}

/// The ledger's rules, decided here once and applied by every store inside its write transaction (with the
/// balance it read there), so that no path — two payments racing included — can make disbursed + carried out
/// exceed allocated + carried in without a recorded override.
public enum FundingRules {
    /// The QĐ 90 projects and sub-projects money is allocated to (6 and 7 only through their sub-projects).
    public static let projects: [ProgrammeComponent] = [
        .infrastructure, .livelihoods, .production, .nutrition, .vocationalTraining, .workAbroad, .jobs, .housing,
        .informationPoverty, .povertyCommunication, .capacityBuilding, .monitoring,
    ]

    /// The years the district budget existed as a source of the programme.
    public static let districtYears = 2022...2025

    /// Why a new (not carried) allocation cannot be recorded, or nil.
    public static func problem(allocating a: Allocation) -> DomainError? {
        guard a.amount > 0 else { return DomainError(.invalid, "amount must be more than 0") }
        guard projects.contains(a.project) else {
            return DomainError(
                .invalid,
                "project \(a.project.rawValue) takes no allocation; name one of "
                    + projects.map(\.rawValue).joined(separator: ", "))
        }
        if a.source == .district, !districtYears.contains(a.year) {
            return DomainError(.invalid, "the district budget is a source of 2022–2025 only, not of \(a.year)")
        }
        if a.source == .central, a.nature == nil {
            return DomainError(.invalid, "central money needs nature=investment or nature=recurrent")
        }
        return nil
    }

    /// Why `amount` cannot be carried from `source` (standing at `balance`) to `year`, or nil.
    public static func problem(carrying amount: Int64, from source: Allocation, balance: FundBalance, to year: Int)
        -> DomainError?
    {
        guard amount > 0 else { return DomainError(.invalid, "amount must be more than 0") }
        guard year > source.year else {
            return DomainError(.invalid, "a remainder of \(source.year) can only be carried to a later year")
        }
        if source.source == .district, !districtYears.contains(year) {
            return DomainError(.invalid, "the district budget is a source of 2022–2025 only, not of \(year)")
        }
        guard amount <= balance.available else {
            return DomainError(
                .invalid, "\(source.id) has \(max(0, balance.available)) VND left, less than \(amount)",
                details: [("available", String(balance.available))])
        }
        return nil
    }

    /// Why the payment cannot be recorded against an allocation standing at `balance`, or nil. A payment
    /// beyond what is left needs an override reason; an override on a payment that fits is refused (the
    /// ledger counts overrides, and one that overrode nothing would be a false record).
    public static func problem(disbursing d: Disbursement, from allocation: Allocation, balance: FundBalance)
        -> DomainError?
    {
        guard d.amount > 0 else { return DomainError(.invalid, "amount must be more than 0") }
        guard d.date.year >= allocation.year else {
            return DomainError(
                .invalid, "\(allocation.id) is money of \(allocation.year); it cannot pay on \(d.date)")
        }
        let fits = d.amount <= balance.available
        if !fits && d.override == nil {
            return DomainError(
                .invalid,
                "\(allocation.id) has \(max(0, balance.available)) VND left, less than \(d.amount); "
                    + "a payment beyond it needs override=<reason>",
                details: [("available", String(balance.available))])
        }
        if fits && d.override != nil {
            return DomainError(
                .invalid, "\(allocation.id) covers \(d.amount) VND; send the payment without override=",
                details: [("available", String(balance.available))])
        }
        return nil
    }

    /// Why a case's payment cannot be recorded: the case must be approved, and (without override) its
    /// payments may not exceed its amount.
    public static func problem(paying file: CaseFile, amount: Int64, paidBefore: Int64, override: String?)
        -> DomainError?
    {
        guard file.state == .approved else {
            return DomainError(.invalid, "case \(file.id) is \(file.state.rawValue), not approved")
        }
        if override == nil, let total = file.amount, paidBefore + amount > total {
            return DomainError(
                .invalid,
                "case \(file.id) was approved for \(total) VND and \(paidBefore) are paid; "
                    + "\(amount) more needs override=<reason>")
        }
        return nil
    }
}

/// Allocations and their disbursements as read together (one snapshot): the balances and the report figures
/// are computed from it.
public struct FundLedger: Sendable, Hashable {
    public var allocations: [Allocation]
    public var disbursements: [Disbursement]

    public init(allocations: [Allocation], disbursements: [Disbursement]) {
        self.allocations = allocations
        self.disbursements = disbursements
    }

    /// Each allocation's balance, by id.
    public var balances: [String: FundBalance] {
        var result: [String: FundBalance] = [:]
        for a in allocations { result[a.id] = FundBalance(amount: a.amount) }
        for d in disbursements {
            result[d.allocation]?.disbursed += d.amount
            if d.override != nil { result[d.allocation]?.overrides += 1 }
        }
        for a in allocations {
            if let from = a.carriedFrom { result[from]?.carriedOut += a.amount }
        }
        return result
    }
}
