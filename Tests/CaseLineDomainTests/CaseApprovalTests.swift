import CaseLineDomain
import Foundation
import Testing

/// The approval round, without I/O: submissions from every state, decisions by everyone who may and may not,
/// and random rounds whose invariants must always hold (four-eyes, one decision per person per round, one
/// waiting step while submitted).
@Suite struct CaseApprovalTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func user(_ login: String, _ role: Role, _ scope: Scope) -> User {
        User(login: login, name: login, role: role, scope: scope)
    }

    static let commune = "02014"
    static let staff = user("thuy", .staff, .commune(commune))
    static let communeChair = user("son", .chair, .commune(commune))
    static let provinceOfficer = user("minh", .officer, .province("19"))
    static let provinceChair = user("lan", .chair, .province("19"))
    static let provinceDeputy = user("hung", .deputy, .province("19"))
    static let otherChair = user("xa", .chair, .commune("01849"))

    static func draft(creator: String = "thuy", editors: Set<String> = []) -> CaseFile {
        CaseFile(
            id: "C-1", kind: .housingRepair, commune: commune, title: "Sửa nhà", amount: 20_000_000,
            funding: [.init(source: "central", amount: 20_000_000)], households: ["HH-1"], creator: creator,
            editors: editors, revision: 2)
    }

    static func context(_ actor: User, writer: Bool = true, delegations: [(Delegation, User)] = [], rev: Int64? = nil)
        -> CaseApproval.Context
    {
        CaseApproval.Context(
            actor: actor, writer: writer, commune: commune, province: "19", delegations: delegations, now: now,
            expectedRevision: rev)
    }

    static let chain = [
        ChainStep(role: .chair, level: .commune), ChainStep(role: .officer, level: .province),
        ChainStep(role: .chair, level: .province),
    ]

    static func submitted(editors: Set<String> = []) throws -> (CaseFile, [CaseStep]) {
        let outcome = try CaseApproval.apply(
            .submit(chain: chain), to: draft(editors: editors), steps: [], context(staff)
        ).get()
        return (outcome.file, outcome.steps)
    }

    @Test(arguments: CaseFile.State.allCases)
    func submittingFromEveryState(_ state: CaseFile.State) {
        var file = Self.draft()
        file.state = state
        let result = CaseApproval.apply(.submit(chain: Self.chain), to: file, steps: [], Self.context(Self.staff))
        guard state.isEditable else {
            #expect(result.code == .invalidTransition)
            return
        }
        guard case .success(let outcome) = result else {
            Issue.record("\(state): \(result)")
            return
        }
        #expect(outcome.file.state == .submitted && outcome.file.round == 1 && outcome.file.step == 1)
        #expect(outcome.file.submitters == ["thuy"] && outcome.file.chain == Self.chain)
        #expect(outcome.steps.map(\.state) == [.waiting, .queued, .queued])
        #expect(outcome.events.map(\.type) == [.caseSubmitted])
        #expect(outcome.answer == "case C-1 submitted; step 1 of 3 waits for chair@commune")
    }

    @Test func submittingNeedsAWriterACompleteCaseAndTheCurrentRevision() {
        #expect(
            CaseApproval.apply(
                .submit(chain: Self.chain), to: Self.draft(), steps: [], Self.context(Self.staff, writer: false)
            )
            .code == .forbidden)
        var empty = Self.draft()
        empty.households = []
        #expect(
            CaseApproval.apply(.submit(chain: Self.chain), to: empty, steps: [], Self.context(Self.staff)).code
                == .invalid)
        #expect(
            CaseApproval.apply(
                .submit(chain: Self.chain), to: Self.draft(), steps: [], Self.context(Self.staff, rev: 1)
            )
            .code == .conflict)
    }

    @Test func eachStepIsDecidedByItsApproversInOrder() throws {
        var (file, steps) = try Self.submitted()
        // The wrong people first: the creator (four-eyes), someone of another commune, a province chair out of turn.
        #expect(
            CaseApproval.apply(.approve(note: nil), to: file, steps: steps, Self.context(Self.staff)).code
                == .selfApproval)
        #expect(
            CaseApproval.apply(.approve(note: nil), to: file, steps: steps, Self.context(Self.otherChair)).code
                == .forbidden)
        #expect(
            CaseApproval.apply(.approve(note: nil), to: file, steps: steps, Self.context(Self.provinceChair)).code
                == .forbidden)
        for (number, approver) in [(1, Self.communeChair), (2, Self.provinceOfficer), (3, Self.provinceChair)] {
            let outcome = try CaseApproval.apply(.approve(note: "ok"), to: file, steps: steps, Self.context(approver))
                .get()
            file = outcome.file
            steps = outcome.steps
            #expect(steps[number - 1].state == .approved && steps[number - 1].by == approver.login)
            if number < 3 {
                #expect(file.state == .submitted && file.step == number + 1)
                #expect(steps[number].state == .waiting)
                #expect(outcome.events.map(\.type) == [.caseStepApproved])
            } else {
                #expect(file.state == .approved && file.decidedAt == Self.now)
                #expect(outcome.events.map(\.type) == [.caseStepApproved, .caseApproved])
            }
        }
        #expect(
            CaseApproval.apply(.approve(note: nil), to: file, steps: steps, Self.context(Self.provinceChair)).code
                == .invalidTransition)
    }

    /// Four-eyes: whoever changed the content, like the creator and the submitters, decides no step, not even
    /// through someone who holds a delegation from them.
    @Test func whoeverChangedTheCaseDecidesNoStep() throws {
        let (file, steps) = try Self.submitted(editors: ["son"])
        #expect(
            CaseApproval.apply(.approve(note: nil), to: file, steps: steps, Self.context(Self.communeChair)).code
                == .selfApproval)
        let delegation = Delegation(
            id: "DL-1", delegator: "son", delegate: "hung", from: "2026-01-01", until: "2099-01-01")
        let acting = Self.context(Self.provinceDeputy, delegations: [(delegation, Self.communeChair)])
        #expect(CaseApproval.apply(.approve(note: nil), to: file, steps: steps, acting).code == .selfApproval)
    }

    @Test func aDelegateDecidesOnBehalfOfTheApprover() throws {
        let (file, steps) = try Self.submitted()
        let delegation = Delegation(
            id: "DL-4", delegator: "son", delegate: "hung", from: "2026-01-01", until: "2099-01-01")
        let outcome = try CaseApproval.apply(
            .approve(note: nil), to: file, steps: steps,
            Self.context(Self.provinceDeputy, delegations: [(delegation, Self.communeChair)])
        ).get()
        #expect(outcome.onBehalfOf == "son")
        #expect(
            outcome.steps[0].by == "hung" && outcome.steps[0].onBehalfOf == "son"
                && outcome.steps[0].delegation == "DL-4")
        #expect(outcome.change.contains("on behalf of son (DL-4)"))
        #expect(outcome.answer.contains("(hung on behalf of son)"))
    }

    @Test(arguments: [true, false])
    func rejectingOrReturningEndsTheRoundAndNeedsAReason(_ reject: Bool) throws {
        var (file, steps) = try Self.submitted()
        let first = try CaseApproval.apply(.approve(note: nil), to: file, steps: steps, Self.context(Self.communeChair))
            .get()
        (file, steps) = (first.file, first.steps)
        let act: (String) -> CaseApproval.Act = { reject ? .reject(reason: $0) : .returnForRevision(reason: $0) }
        #expect(
            CaseApproval.apply(act(" "), to: file, steps: steps, Self.context(Self.provinceOfficer)).code == .invalid)
        let outcome = try CaseApproval.apply(
            act("Thiếu hồ sơ"), to: file, steps: steps, Self.context(Self.provinceOfficer)
        )
        .get()
        #expect(outcome.file.state == (reject ? .rejected : .returned))
        #expect(outcome.steps.map(\.state) == [.approved, reject ? .rejected : .returned, .skipped])
        #expect(outcome.events.map(\.type) == [reject ? .caseRejected : .caseReturned])
        // A returned case can be submitted again: a new round, the same people barred.
        if !reject {
            let again = try CaseApproval.apply(
                .submit(chain: Self.chain), to: outcome.file, steps: outcome.steps, Self.context(Self.staff)
            ).get()
            #expect(again.file.round == 2 && again.file.step == 1)
            #expect(again.steps.allSatisfy { $0.round == 2 })
        }
    }

    /// Random rounds: chains of 1–4 steps, random people trying random decisions. Whatever happens, nobody
    /// excluded by four-eyes decides, nobody decides two steps of a round, and a submitted case has exactly one
    /// waiting step.
    @Test func randomRoundsKeepTheInvariants() throws {
        var generator = SeededGenerator(seed: 20_261_201)
        let people = [
            Self.staff, Self.communeChair, Self.provinceOfficer, Self.provinceChair, Self.provinceDeputy,
            Self.otherChair,
            Self.user("son2", .chair, .commune(Self.commune)), Self.user("minh2", .officer, .province("19")),
        ]
        let steps: [ChainStep] = [
            .init(role: .chair, level: .commune), .init(role: .officer, level: .province),
            .init(role: .chair, level: .province), .init(role: .deputy, level: .province),
        ]
        var decided = 0
        for _ in 0..<300 {
            let chain = Array(steps.shuffled(using: &generator).prefix(Int.random(in: 1...4, using: &generator)))
            let editors: Set<String> = Bool.random(using: &generator) ? ["son"] : []
            var outcome = try CaseApproval.apply(
                .submit(chain: chain), to: Self.draft(editors: editors), steps: [], Self.context(Self.staff)
            ).get()
            var (file, all) = (outcome.file, outcome.steps)
            for _ in 0..<12 where file.state == .submitted {
                let actor = people.randomElement(using: &generator)!
                let act: CaseApproval.Act =
                    switch Int.random(in: 0..<10, using: &generator) {
                    case 0: .reject(reason: "không đạt")
                    case 1: .returnForRevision(reason: "bổ sung")
                    default: .approve(note: nil)
                    }
                guard case .success(let next) = CaseApproval.apply(act, to: file, steps: all, Self.context(actor))
                else {
                    continue
                }
                outcome = next
                (file, all) = (next.file, next.steps)
                decided += 1
                let deciders = all.compactMap(\.by)
                #expect(Set(deciders).count == deciders.count, "someone decided two steps of a round")
                #expect(file.excludedDeciders.isDisjoint(with: deciders), "four-eyes broken")
                if file.state == .submitted {
                    #expect(all.filter { $0.state == .waiting }.count == 1)
                    #expect(all[file.step - 1].state == .waiting)
                }
            }
        }
        #expect(decided > 300, "the walk must actually decide steps (\(decided))")
    }
}

/// SplitMix64: a failing random walk fails the same way every time.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
