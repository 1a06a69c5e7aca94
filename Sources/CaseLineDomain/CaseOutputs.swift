public import Foundation

/// The people a case benefits, by category, as reports count them (`beneficiaries=poor:896,near-poor:1148`).
/// `poor`, `near-poor`, `escaped` (households newly escaped from poverty) and `other` are disjoint and add up
/// to `persons`; `minority` counts the ethnic-minority persons among them. A vocational class counts its
/// trainees; a health-insurance case the persons whose cards it pays.
public struct Beneficiaries: Sendable, Hashable {
    public var poor: Int
    public var nearPoor: Int
    public var escaped: Int
    public var other: Int
    public var minority: Int

    public init(poor: Int = 0, nearPoor: Int = 0, escaped: Int = 0, other: Int = 0, minority: Int = 0) {
        self.poor = poor
        self.nearPoor = nearPoor
        self.escaped = escaped
        self.other = other
        self.minority = minority
    }

    public static let categories = ["poor", "near-poor", "escaped", "other", "minority"]

    public var persons: Int { poor + nearPoor + escaped + other }
    public var isEmpty: Bool { persons == 0 && minority == 0 }

    /// `poor:896,near-poor:1148`: the non-zero categories in a fixed order; empty text for none.
    public var wire: String {
        zip(Self.categories, [poor, nearPoor, escaped, other, minority]).filter { $0.1 > 0 }
            .map { "\($0.0):\($0.1)" }.joined(separator: ",")
    }

    /// Parses the wire form; nil for an unknown category, a repeated one, or a count outside 0…10,000,000.
    public init?(wire: String) {
        self.init()
        guard !wire.isEmpty else { return }
        var seen: Set<String> = []
        for item in wire.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let count = Int(parts[1]), (0...10_000_000).contains(count),
                parts[1].allSatisfy(\.isASCII), seen.insert(String(parts[0])).inserted
            else { return nil }
            switch parts[0] {
            case "poor": poor = count
            case "near-poor": nearPoor = count
            case "escaped": escaped = count
            case "other": other = count
            case "minority": minority = count
            default: return nil
            }
        }
    }

    /// Why these figures cannot stand, or nil.
    public var problem: String? {
        minority > persons ? "minority (\(minority)) counts persons among the others; it cannot exceed \(persons)" : nil
    }
}

/// The stages of a house after the case that pays for it is approved, in order.
public enum HousingStage: String, Sendable, Hashable, CaseIterable {
    case started, finished
    case handedOver = "handed-over"
}

/// The day each stage of a house was reached (nil: not yet).
public struct HousingProgress: Sendable, Hashable {
    public var started: CivilDate?
    public var finished: CivilDate?
    public var handedOver: CivilDate?

    public init(started: CivilDate? = nil, finished: CivilDate? = nil, handedOver: CivilDate? = nil) {
        self.started = started
        self.finished = finished
        self.handedOver = handedOver
    }

    public subscript(stage: HousingStage) -> CivilDate? {
        switch stage {
        case .started: started
        case .finished: finished
        case .handedOver: handedOver
        }
    }

    /// The stage reached last, nil before the start.
    public var latest: HousingStage? { HousingStage.allCases.last { self[$0] != nil } }

    /// Records `stage` on `date` for an approved housing case, decided on `decided`, today being `today`:
    /// stages come in order, one at a time, on days that never go back, after the decision and not in the
    /// future.
    public static func advance(
        _ file: CaseFile, to stage: HousingStage, on date: CivilDate, decided: CivilDate?, today: CivilDate
    ) -> Result<HousingProgress, DomainError> {
        guard file.kind.isHousing else {
            return .failure(DomainError(.invalid, "a \(file.kind.rawValue) case builds no house"))
        }
        guard file.state == .approved else {
            return .failure(
                DomainError(
                    .invalidTransition, "case \(file.id) is \(file.state.rawValue); a house progresses once approved",
                    details: [("from", file.state.rawValue)]))
        }
        let all = HousingStage.allCases
        let expected = file.progress.latest.map { all.firstIndex(of: $0)! + 1 } ?? 0
        guard expected < all.count else {
            return .failure(DomainError(.invalidTransition, "the house of case \(file.id) is already handed over"))
        }
        guard all[expected] == stage else {
            return .failure(
                DomainError(
                    .invalidTransition,
                    "the next stage of case \(file.id) is \(all[expected].rawValue), not \(stage.rawValue)",
                    details: [("from", file.progress.latest?.rawValue ?? "approved")]))
        }
        if let previous = file.progress.latest.flatMap({ file.progress[$0] }), date < previous {
            return .failure(DomainError(.invalid, "\(date) is before the previous stage (\(previous))"))
        }
        if let decided, date < decided {
            return .failure(DomainError(.invalid, "\(date) is before the case was approved (\(decided))"))
        }
        guard date <= today else { return .failure(DomainError(.invalid, "\(date) is in the future")) }
        var next = file.progress
        switch stage {
        case .started: next.started = date
        case .finished: next.finished = date
        case .handedOver: next.handedOver = date
        }
        return .success(next)
    }
}

/// What the reports count of an approved case (REPORT OUTPUTS), read without the rest of the case.
public struct CaseOutput: Sendable, Hashable {
    public var id: String
    public var kind: CaseFile.Kind
    public var commune: String
    public var amount: Int64
    /// How many households the case names.
    public var households: Int
    public var year: Int
    public var beneficiaries: Beneficiaries
    public var progress: HousingProgress
    public var decidedAt: Date

    public init(
        id: String, kind: CaseFile.Kind, commune: String, amount: Int64, households: Int, year: Int,
        beneficiaries: Beneficiaries, progress: HousingProgress, decidedAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.commune = commune
        self.amount = amount
        self.households = households
        self.year = year
        self.beneficiaries = beneficiaries
        self.progress = progress
        self.decidedAt = decidedAt
    }

    /// The figures of a stored case (for backends and tests that have the whole case).
    public init?(_ file: CaseFile) {
        guard file.state == .approved, let decided = file.decidedAt, let year = file.year else { return nil }
        self.init(
            id: file.id, kind: file.kind, commune: file.commune, amount: file.amount ?? 0,
            households: file.households.count, year: year, beneficiaries: file.beneficiaries, progress: file.progress,
            decidedAt: decided)
    }
}
