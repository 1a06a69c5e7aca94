/// A commune's review for a year (periodic) or a month's requests (ad-hoc), as the campaign machine keeps it:
/// the state the store saves and loads whole, and the only thing `ReviewCampaignMachine` changes.
public struct ReviewCampaign: Sendable, Hashable, Codable {
    /// `RC-n`, given by the store.
    public var id: String
    public var kind: CampaignKind
    /// `CODE` or `legacy:CODE`.
    public var commune: String
    /// The units whose chairman gives the opinion, by level (the commune's legacy district, its province).
    public var higherLevelUnits: HigherLevelUnits
    /// The year the review is held.
    public var reviewYear: Int
    /// The year whose lists it sets.
    public var listYear: Int
    public var standardID: String
    public var standardRevision: Int
    public var stage: CampaignStage
    public var opened: CivilDate
    /// Periodic: 1 September of the review year (or the opening day, if later). Ad-hoc: the first monthly review
    /// day on or after the request.
    public var reviewStart: CivilDate
    /// Periodic: the end of the window (14 December). Ad-hoc: 15 days after the review starts.
    public var decisionDue: CivilDate
    public var plan: ReviewPlan?
    public var households: [String: CampaignHousehold]
    public var meetings: [VillageMeeting]
    public var posting: Posting?
    public var complaints: [Complaint]
    public var opinion: HigherLevelOpinion?
    public var decision: ReviewDecision?
    /// Raised by every accepted input, for the store's optimistic concurrency.
    public var revision: Int

    public init(
        id: String, kind: CampaignKind, commune: String, higherLevelUnits: HigherLevelUnits, reviewYear: Int,
        listYear: Int, standardID: String, standardRevision: Int, stage: CampaignStage, opened: CivilDate,
        reviewStart: CivilDate, decisionDue: CivilDate, plan: ReviewPlan? = nil,
        households: [String: CampaignHousehold] = [:], meetings: [VillageMeeting] = [], posting: Posting? = nil,
        complaints: [Complaint] = [], opinion: HigherLevelOpinion? = nil, decision: ReviewDecision? = nil,
        revision: Int = 1
    ) {
        self.id = id
        self.kind = kind
        self.commune = commune
        self.higherLevelUnits = higherLevelUnits
        self.reviewYear = reviewYear
        self.listYear = listYear
        self.standardID = standardID
        self.standardRevision = standardRevision
        self.stage = stage
        self.opened = opened
        self.reviewStart = reviewStart
        self.decisionDue = decisionDue
        self.plan = plan
        self.households = households
        self.meetings = meetings
        self.posting = posting
        self.complaints = complaints
        self.opinion = opinion
        self.decision = decision
        self.revision = revision
    }

    /// Decided: its classifications are frozen.
    public var isFrozen: Bool { decision != nil }

    /// Households in id order (`HH-2` before `HH-10`).
    public var orderedHouseholds: [CampaignHousehold] {
        households.values.sorted { ($0.id.count, $0.id) < ($1.id.count, $1.id) }
    }

    /// The households of a village (names compared the way people type them), in id order.
    public func households(in village: String) -> [CampaignHousehold] {
        let folded = NameFolding.fold(village)
        return orderedHouseholds.filter { NameFolding.fold($0.village) == folded }
    }

    /// `review RC-3 (periodic 2026, commune 02014)`: how audit lines name it.
    public var name: String { "review \(id) (\(kind.rawValue) \(reviewYear), commune \(commune))" }
}

/// The units above a commune whose chairman may be asked for the opinion: its province (2025 edition) and,
/// for reviews before 1 July 2025, its legacy district.
public struct HigherLevelUnits: Sendable, Hashable, Codable {
    public var province: String?
    public var district: String?

    public init(province: String?, district: String? = nil) {
        self.province = province
        self.district = district
    }

    public subscript(level: HigherLevel) -> String? {
        switch level {
        case .district: district
        case .province: province
        }
    }
}
