// The written acts a review campaign keeps, one per step of QĐ 24/2021/QĐ-TTg: the plan, the village
// meetings' minutes, the posting, complaints and answers, the higher level's opinion, the decision, and
// written refusals. Each is what the step leaves on paper, so that the campaign can be shown and audited
// step by step.

/// Step 0: who reviews, and when.
public struct ReviewPlan: Sendable, Hashable, Codable {
    /// The decision or plan that set up the commune's review steering committee and schedule, as numbered.
    public var reference: String
    public var adopted: CivilDate
    /// Logins of the steering committee's members (for the record; rights come from `ReviewActor`).
    public var committee: [String]
    public var reviewers: [PlannedReviewer]
    /// The planned dates of each stage.
    public var schedule: [ScheduledStage]

    public init(
        reference: String, adopted: CivilDate, committee: [String], reviewers: [PlannedReviewer],
        schedule: [ScheduledStage]
    ) {
        self.reference = reference
        self.adopted = adopted
        self.committee = committee
        self.reviewers = reviewers
        self.schedule = schedule
    }
}

public struct PlannedReviewer: Sendable, Hashable, Codable {
    public var login: String
    public var village: String

    public init(login: String, village: String) {
        self.login = login
        self.village = village
    }
}

public struct ScheduledStage: Sendable, Hashable, Codable {
    public var stage: CampaignStage
    public var from: CivilDate
    public var through: CivilDate

    public init(stage: CampaignStage, from: CivilDate, through: CivilDate) {
        self.stage = stage
        self.from = from
        self.through = through
    }
}

/// Step 3: a village meeting (họp dân) and its minutes (two copies, one kept in the village). QĐ 24 art. 4.3:
/// at least 50 % of those present must agree with the survey's results, otherwise the households are surveyed
/// again and the village meets again.
public struct VillageMeeting: Sendable, Hashable, Codable {
    public var village: String
    public var held: CivilDate
    public var attendees: Int
    /// Those agreeing with the results as a whole.
    public var agreeing: Int
    /// Per household, where the minutes record a separate count (otherwise `agreeing` applies to each).
    public var agreeingByHousehold: [String: Int]
    /// The minutes' reference (number, book and page).
    public var minutes: String

    public init(
        village: String, held: CivilDate, attendees: Int, agreeing: Int, agreeingByHousehold: [String: Int] = [:],
        minutes: String
    ) {
        self.village = village
        self.held = held
        self.attendees = attendees
        self.agreeing = agreeing
        self.agreeingByHousehold = agreeingByHousehold
        self.minutes = minutes
    }

    /// Whether `agreeing` of `attendees` reaches `percent` — in integers, so that exactly 50 % passes.
    public static func agrees(_ agreeing: Int, of attendees: Int, percent: Int) -> Bool {
        attendees > 0 && agreeing * 100 >= percent * attendees
    }
}

/// Step 4: the public posting (niêm yết công khai), for a number of working days.
public struct Posting: Sendable, Hashable, Codable {
    public var opened: CivilDate
    /// The last day of the period; the posting closes after it.
    public var lastDay: CivilDate
    public var closed: CivilDate?

    public init(opened: CivilDate, lastDay: CivilDate, closed: CivilDate? = nil) {
        self.opened = opened
        self.lastDay = lastDay
        self.closed = closed
    }
}

/// A complaint about the posted results; it must be re-checked and answered before the posting closes.
public struct Complaint: Sendable, Hashable, Codable {
    /// `K-n`, numbered within the campaign.
    public var id: String
    /// The household it concerns, when it concerns one on the list.
    public var household: String?
    public var received: CivilDate
    public var summary: String
    public var answer: String?
    public var answered: CivilDate?

    public init(
        id: String, household: String?, received: CivilDate, summary: String, answer: String? = nil,
        answered: CivilDate? = nil
    ) {
        self.id = id
        self.household = household
        self.received = received
        self.summary = summary
        self.answer = answer
        self.answered = answered
    }

    public var isOpen: Bool { answered == nil }
}

/// Step 5: the higher level's opinion (district chair until 30/6/2025, province chair since).
public struct HigherLevelOpinion: Sendable, Hashable, Codable {
    public var level: HigherLevel
    public var reference: String
    public var date: CivilDate
    public var agrees: Bool
    public var note: String
    public var signature: OfficeSignature

    public init(
        level: HigherLevel, reference: String, date: CivilDate, agrees: Bool, note: String,
        signature: OfficeSignature
    ) {
        self.level = level
        self.reference = reference
        self.date = date
        self.agrees = agrees
        self.note = note
        self.signature = signature
    }
}

/// Step 6: the commune chairman's decision recognising the lists (Mẫu 02). Its number and date freeze the
/// campaign's classifications; a later correction is a new ad-hoc campaign.
public struct ReviewDecision: Sendable, Hashable, Codable {
    public var number: String
    public var date: CivilDate
    public var signature: OfficeSignature

    public init(number: String, date: CivilDate, signature: OfficeSignature) {
        self.number = number
        self.date = date
        self.signature = signature
    }
}

/// An ad-hoc request refused in writing, with reasons (QĐ 24 art. 5).
public struct RequestRefusal: Sendable, Hashable, Codable {
    public var reference: String
    public var date: CivilDate
    public var reasons: String
    public var signature: OfficeSignature

    public init(reference: String, date: CivilDate, reasons: String, signature: OfficeSignature) {
        self.reference = reference
        self.date = date
        self.reasons = reasons
        self.signature = signature
    }
}
