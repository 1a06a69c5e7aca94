/// The review procedure of one standard as data: its stages, who acts at each, and its numbers. QĐ
/// 24/2021/QĐ-TTg sets them for the lists of 2022–2025 (kept through 2026); the procedure for 2027–2030 will be
/// a new text, and a province loads it as a changed description, not a new release.
///
/// What stays code is what each kind of stage means (a meeting's 50 % rule re-opens the village's survey, a
/// posting period must run out before it closes, a decision freezes): a new circular that renumbers, reorders,
/// drops stages or moves a step to another office is data; one that invents a new kind of step is code.
public struct ProcedureRules: Sendable, Hashable, Codable {
    /// The periodic review's window, month-day to month-day (QĐ 24 art. 3.1.a: 1 September to 14 December).
    public var periodicWindow: MonthDayWindow
    /// Ad-hoc reviews run once a month from this day of the month (QĐ 24 art. 3.1.b: the 15th).
    public var adHocReviewDay: Int
    /// An ad-hoc review is decided, or refused in writing, within this many calendar days of the day it starts
    /// (QĐ 24 art. 5: 15 days).
    public var adHocDecisionDays: Int
    /// When those days start counting: nil or `review-day` for the monthly review day (QĐ 24 art. 5 counts "from
    /// the day the review begins", art. 3.1.b), `request` for the day the request arrives, should a province
    /// read it so.
    public var adHocClockStart: AdHocClockStart?
    /// A village meeting approves its households' results when at least this share of those present agree;
    /// below it the village is surveyed again and meets again (QĐ 24 art. 4.3: 50 %).
    public var meetingAgreementPercent: Int
    /// The public posting lasts this many working days (QĐ 24 art. 4.4: 3 †).
    public var postingWorkingDays: Int
    /// Which level gives its opinion, by date (district chair until 30/6/2025, province chair from 1/7/2025:
    /// NĐ 131/2025 and TT 13/2025/TT-BNNMT moved the district's duties).
    public var higherLevel: [HigherLevelPeriod]
    /// The stages each kind of campaign goes through, in order.
    public var stages: StageSequences
    /// Who may give each input, and in which stages.
    public var inputs: [InputRule]
    /// The fixed part of a certificate number (Mẫu 03: `…/GCN-HN.HCN`).
    public var certificateSuffix: String

    public init(
        periodicWindow: MonthDayWindow, adHocReviewDay: Int, adHocDecisionDays: Int,
        adHocClockStart: AdHocClockStart? = nil, meetingAgreementPercent: Int, postingWorkingDays: Int,
        higherLevel: [HigherLevelPeriod], stages: StageSequences, inputs: [InputRule], certificateSuffix: String
    ) {
        self.periodicWindow = periodicWindow
        self.adHocReviewDay = adHocReviewDay
        self.adHocDecisionDays = adHocDecisionDays
        self.adHocClockStart = adHocClockStart
        self.meetingAgreementPercent = meetingAgreementPercent
        self.postingWorkingDays = postingWorkingDays
        self.higherLevel = higherLevel
        self.stages = stages
        self.inputs = inputs
        self.certificateSuffix = certificateSuffix
    }

    public func rule(for input: ReviewInputKind) -> InputRule? { inputs.first { $0.input == input } }

    /// The level whose chairman gives the opinion on `date`, if any period covers it.
    public func higherLevel(on date: CivilDate) -> HigherLevel? {
        higherLevel.first { period in
            (period.from.map { $0 <= date } ?? true) && (period.through.map { date <= $0 } ?? true)
        }?.level
    }

    /// Problems that make the rules unusable, in plain words (empty when none).
    public var problems: [String] {
        var problems: [String] = []
        if !(1...28).contains(adHocReviewDay) { problems.append("procedure.adHocReviewDay must be 1–28") }
        if adHocDecisionDays < 1 { problems.append("procedure.adHocDecisionDays must be at least 1") }
        if !(1...100).contains(meetingAgreementPercent) {
            problems.append("procedure.meetingAgreementPercent must be 1–100")
        }
        if postingWorkingDays < 1 { problems.append("procedure.postingWorkingDays must be at least 1") }
        if periodicWindow.from > periodicWindow.through {
            problems.append("procedure.periodicWindow must not run over the year's end")
        }
        if higherLevel.isEmpty { problems.append("procedure.higherLevel names no level") }
        if certificateSuffix.isEmpty || certificateSuffix.contains(where: \.isWhitespace) {
            problems.append("procedure.certificateSuffix must be a non-empty word")
        }
        for kind in CampaignKind.allCases {
            let sequence = stages[kind]
            let name = "procedure.stages.\(kind.rawValue)"
            if sequence.contains(.refused) { problems.append("\(name) may not list the refused state") }
            if Set(sequence).count != sequence.count { problems.append("\(name) repeats a stage") }
            if sequence != sequence.sorted() { problems.append("\(name) must keep the order of QĐ 24") }
            for required in [CampaignStage.listing, .survey, .decision, .certificates]
            where !sequence.contains(required) {
                problems.append("\(name) lacks \(required.rawValue)")
            }
        }
        for kind in ReviewInputKind.allCases {
            let rules = inputs.filter { $0.input == kind }
            if rules.count != 1 { problems.append("procedure.inputs must list \(kind.rawValue) exactly once") }
            if let rule = rules.first, rule.actors.isEmpty || rule.stages.isEmpty {
                problems.append("procedure.inputs.\(kind.rawValue) names no actor or no stage")
            }
        }
        return problems
    }
}

/// A stretch of the year given as month and day, both ends included.
public struct MonthDayWindow: Sendable, Hashable, Codable {
    public var from: MonthDay
    public var through: MonthDay

    public init(from: MonthDay, through: MonthDay) {
        self.from = from
        self.through = through
    }

    public func first(in year: Int) -> CivilDate? { CivilDate(year: year, month: from.month, day: from.day) }
    public func last(in year: Int) -> CivilDate? { CivilDate(year: year, month: through.month, day: through.day) }
}

/// `MM-DD` in JSON.
public struct MonthDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var month: Int
    public var day: Int

    public init?(month: Int, day: Int) {
        guard CivilDate(year: 2000, month: month, day: day) != nil else { return nil }
        self.month = month
        self.day = day
    }

    /// For literals known to be valid.
    init(checked month: Int, _ day: Int) {
        self.month = month
        self.day = day
    }

    public var description: String { (month < 10 ? "0" : "") + "\(month)-" + (day < 10 ? "0" : "") + "\(day)" }

    public static func < (a: MonthDay, b: MonthDay) -> Bool { (a.month, a.day) < (b.month, b.day) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CivilDate("2000-" + text), text.count == 5,
            let value = MonthDay(month: date.month, day: date.day)
        else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an MM-DD day: \(text)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The day an ad-hoc review's decision days count from.
public enum AdHocClockStart: String, Sendable, Hashable, Codable, CaseIterable {
    case reviewDay = "review-day"
    case request
}

/// The level that gives its opinion on a commune's review.
public enum HigherLevel: String, Sendable, Hashable, Codable, CaseIterable {
    /// Until 30/6/2025: the chairman of the district People's Committee (legacy edition).
    case district
    /// From 1/7/2025, when the district tier was abolished.
    case province
}

/// A level and the dates it applies, both ends included; an open end is nil.
public struct HigherLevelPeriod: Sendable, Hashable, Codable {
    public var from: CivilDate?
    public var through: CivilDate?
    public var level: HigherLevel

    public init(from: CivilDate? = nil, through: CivilDate? = nil, level: HigherLevel) {
        self.from = from
        self.through = through
        self.level = level
    }
}

/// The stages of each kind of campaign, in order.
public struct StageSequences: Sendable, Hashable, Codable {
    public var periodic: [CampaignStage]
    public var adHoc: [CampaignStage]

    enum CodingKeys: String, CodingKey {
        case periodic
        case adHoc = "ad-hoc"
    }

    public init(periodic: [CampaignStage], adHoc: [CampaignStage]) {
        self.periodic = periodic
        self.adHoc = adHoc
    }

    public subscript(kind: CampaignKind) -> [CampaignStage] {
        switch kind {
        case .periodic: periodic
        case .adHoc: adHoc
        }
    }
}

/// One row of the permission table: an input, the stages in which it is accepted, and who may give it.
public struct InputRule: Sendable, Hashable, Codable {
    public var input: ReviewInputKind
    public var stages: [CampaignStage]
    public var actors: [ActorKind]

    public init(input: ReviewInputKind, stages: [CampaignStage], actors: [ActorKind]) {
        self.input = input
        self.stages = stages
        self.actors = actors
    }
}
