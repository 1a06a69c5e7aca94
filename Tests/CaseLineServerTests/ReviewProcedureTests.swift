import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import CaseLineServer
import CaseLineStore
import CaseLineStoreSQLite
import Foundation
import NIOConcurrencyHelpers
import Testing

extension ServerSuites {
    /// The review procedure of QĐ 24/2021/QĐ-TTg over the protocol, end to end, on a clock the test moves:
    /// offices, a periodic campaign from plan to certificates (with a failed village meeting, a complaint, the
    /// posting's working days, the province's opinion and the commune chairman's decision), then an ad-hoc
    /// review the next month. Each refusal on the way is a rule of the procedure that must hold.
    @Suite("The poverty review over TLS", .timeLimit(.minutes(3)))
    struct ReviewProcedureTests {
        /// 09:00 in Vietnam on `day`.
        static func morning(_ day: String) -> Date {
            ServerEnvironmentDay.start(day).addingTimeInterval(9 * 3600)
        }

        static func household(_ staff: ClientConnection, _ head: String, _ village: String, _ idNumber: String)
            async throws -> String
        {
            let created = try await staff.request(
                "HOUSEHOLD CREATE 02014 head=\"\(head)\" gender=male birth=1970-01-01 village=\"\(village)\""
                    + " area=rural id-number=\(idNumber)")
            #expect(created.ok, "\(created.completion)")
            return try #require(created.records.first?["id"])
        }

        // Also on PostgreSQL: the review procedure end to end once on each store.
        @Test(arguments: TestServer.Backend.allCases)
        func aCommuneReviewsItsHouseholdsFromPlanToCertificatesThenCorrectsOneAdHoc(_ backend: TestServer.Backend)
            async throws
        {
            let now = NIOLockedValueBox(Self.morning("2026-09-10"))
            let clock: @Sendable () -> Date = { now.withLockedValue { $0 } }
            @Sendable func move(to day: String) { now.withLockedValue { $0 = Self.morning(day) } }
            try await TestServer.run(clock: clock, backend: backend) { server in
                try await TaskTests.organise(server.store)
                try await server.session("admin") { admin async throws in
                    let commune = try await admin.request(
                        "OFFICE ASSIGN unit=02014 post=chairman login=chutich from=2026-01-01")
                    #expect(commune.ok, "\(commune.completion)")
                    #expect(commune.records.first?["level"] == "commune")
                    let province = try await admin.request(
                        "OFFICE ASSIGN unit=19 post=chairman login=lan from=2026-01-01")
                    #expect(province.ok, "\(province.completion)")
                    #expect(
                        try await admin.request("OFFICE ASSIGN unit=19 post=chairman login=lan from=2026-06-01").code
                            == "INVALID", "the same office twice over the same days")
                    #expect(
                        try await admin.request("OFFICE ASSIGN unit=19 post=chairman login=ghost from=2026-01-01").code
                            == "NOT-FOUND")
                    let clash = try await admin.request(
                        "OFFICE ASSIGN unit=02014 post=chairman login=pho from=2026-06-01")
                    #expect(
                        clash.code == "INVALID" && clash.completion.details.map(\.value) == ["OF-1"],
                        "one holder at a time")
                    #expect(
                        try await admin.request(
                            "OFFICE ASSIGN unit=02014 post=chairman login=pho from=2026-06-01 through=2026-06-30 on-behalf-of=lan"
                        ).code == "INVALID", "lan does not hold the commune's office")
                    #expect(
                        try await admin.request(
                            "OFFICE ASSIGN unit=02014 post=chairman login=pho from=2026-06-01 through=2026-06-30 on-behalf-of=chutich"
                        ).ok, "acting for the holder within the holder's term")
                }
                let (a, b, c) = try await server.session("canbo") { staff async throws in
                    (
                        try await Self.household(staff, "Hoàng Văn Páo", "Thôn Nà Hin", "006068001234"),
                        try await Self.household(staff, "Lò Văn Sình", "Thôn Nà Hin", "006068001235"),
                        try await Self.household(staff, "Nông Văn Tài", "Thôn Khuổi Chủ", "006068001236")
                    )
                }
                // The commune's review committee (canbo keeps the commune's register) opens and plans.
                let id = try await server.session("canbo") { staff async throws -> String in
                    let opened = try await staff.request("REVIEW OPEN commune=02014 key=rs-2026")
                    #expect(opened.ok, "\(opened.completion)")
                    let campaign = try #require(opened.records.first)
                    #expect(campaign["kind"] == "periodic")
                    #expect(campaign["review-year"] == "2026")
                    #expect(campaign["list-year"] == "2027")
                    #expect(campaign["standard"] == "nd351-2025", "the 2026 review sets the 2027 lists: NĐ 351")
                    #expect(campaign["stage"] == "plan")
                    #expect(campaign["decision-due"] == "2026-12-14")
                    let id = try #require(campaign["id"])
                    #expect(try await staff.request("REVIEW OPEN commune=02014 key=rs-2026").code == "REPLAYED")
                    let again = try await staff.request("REVIEW OPEN commune=02014")
                    #expect(again.code == "ALREADY-EXISTS")
                    #expect(again.completion.details.map(\.value) == [id])
                    #expect(
                        try await staff.request("REVIEW ADD \(id) household=\(a) basis=poor rev=1").code
                            == "INVALID-TRANSITION", "nothing before the plan")
                    let plan = try await staff.request(
                        "REVIEW PLAN \(id) reference=\"12/KH-UBND\" adopted=2026-09-10"
                            + " reviewers=\"pho:Thôn Nà Hin,canbo:Thôn Khuổi Chủ\" committee=canbo,minh rev=1")
                    #expect(plan.ok, "\(plan.completion)")
                    #expect(plan.records.first?["stage"] == "listing")
                    #expect(
                        try await staff.request("REVIEW ADD \(id) household=\(a) basis=poor rev=1").code == "CONFLICT")
                    for (household, basis, rev) in [
                        (a, "basis=poor", 2), (b, "basis=near-poor", 3), (c, "basis=mau-01 received=2026-09-10", 4),
                    ] {
                        let added = try await staff.request(
                            "REVIEW ADD \(id) household=\(household) \(basis) rev=\(rev)")
                        #expect(added.ok, "\(added.completion)")
                    }
                    #expect(
                        try await staff.request("REVIEW ADD \(id) household=\(a) basis=poor rev=5").code
                            == "ALREADY-EXISTS")
                    return id
                }
                move(to: "2026-09-15")
                // pho reviews Thôn Nà Hin only: a deputy with no right over the register, named on the plan.
                try await server.session("pho") { reviewer async throws in
                    let surveyed = try await reviewer.request(
                        "REVIEW SURVEY \(id) household=\(a) score-a=120 score-b=40"
                            + " deprived=housing-quality,latrine,drinking-water,digital-services rev=5")
                    #expect(surveyed.ok, "\(surveyed.completion)")
                    #expect(surveyed.records.first?["stage"] == "survey")
                    let other = try await reviewer.request(
                        "REVIEW SURVEY \(id) household=\(c) score-a=120 score-b=0 rev=6")
                    #expect(other.code == "FORBIDDEN", "\(other.completion)")
                    #expect(
                        try await reviewer.request(
                            "REVIEW SURVEY \(id) household=\(b) score-a=130 deprived=information-access rev=6"
                        ).code
                            == "INVALID", "information-access is NĐ 07's, not NĐ 351's")
                    #expect(
                        try await reviewer.request(
                            "REVIEW SURVEY \(id) household=\(b) score-a=130 score-b=20 deprived=latrine rev=6"
                        ).code
                            == "INVALID", "score B must match the ticked indicators")
                    let near = try await reviewer.request(
                        "REVIEW SURVEY \(id) household=\(b) score-a=130 score-b=10 deprived=latrine rev=6")
                    #expect(near.ok, "\(near.completion)")
                    #expect(
                        try await reviewer.request(
                            "REVIEW MEETING \(id) village=\"Thôn Nà Hin\" held=2026-09-15 attendees=10 agreeing=9 minutes=x rev=7"
                        ).code == "FORBIDDEN")
                }
                try await server.session("canbo") { staff async throws in
                    let surveyed = try await staff.request(
                        "REVIEW SURVEY \(id) household=\(c) score-a=150 livelihood=agriculture rev=7")
                    #expect(surveyed.ok, "\(surveyed.completion)")
                    let shown = try await staff.request("REVIEW SHOW \(id)")
                    let row = shown.records.first { $0.type == "REVIEW-HOUSEHOLD" && $0["household"] == c }
                    #expect(row?["class"] == "none", "above the line, no average-living band under NĐ 351")
                    #expect(
                        shown.records.first { $0.type == "REVIEW-HOUSEHOLD" && $0["household"] == a }?["class"]
                            == "poor")
                    // 16 of 40 (40 %) agree in Thôn Nà Hin: its households are surveyed again.
                    let failed = try await staff.request(
                        "REVIEW MEETING \(id) village=\"Thôn Nà Hin\" held=2026-09-15 attendees=40 agreeing=16 minutes=\"BB 01/2026\" rev=8"
                    )
                    #expect(failed.ok, "\(failed.completion)")
                    let states = try await staff.request("REVIEW SHOW \(id)").records.filter {
                        $0.type == "REVIEW-HOUSEHOLD"
                    }
                    #expect(states.filter { $0["state"] == "re-survey" }.map { $0["household"] } == [a, b])
                    #expect(
                        try await staff.request("REVIEW POST \(id) rev=9").code == "INVALID-TRANSITION",
                        "Nà Hin is not agreed")
                    for (household, survey, rev) in [
                        (
                            a,
                            "score-a=118 score-b=40 deprived=housing-quality,latrine,drinking-water,digital-services", 9
                        ),
                        (b, "score-a=131 score-b=10 deprived=latrine", 10),
                    ] {
                        #expect(
                            try await staff.request("REVIEW SURVEY \(id) household=\(household) \(survey) rev=\(rev)")
                                .ok)
                    }
                    #expect(
                        try await staff.request(
                            "REVIEW MEETING \(id) village=\"Thôn Nà Hin\" held=2026-09-15 attendees=40 agreeing=30 minutes=\"BB 02/2026\" rev=11"
                        ).ok)
                    #expect(
                        try await staff.request(
                            "REVIEW MEETING \(id) village=\"Thôn Khuổi Chủ\" held=2026-09-15 attendees=25 agreeing=20 minutes=\"BB 03/2026\" rev=12"
                        ).ok)
                }
                move(to: "2026-09-21")
                try await server.session("canbo") { staff async throws in
                    let posted = try await staff.request("REVIEW POST \(id) rev=13")
                    #expect(posted.ok, "\(posted.completion)")
                    #expect(posted.records.first?["posting-through"] == "2026-09-24", "three working days after Monday")
                    let complaint = try await staff.request(
                        "REVIEW COMPLAINT \(id) household=\(b) summary=\"Hộ cho rằng đã có việc làm ổn định\" rev=14")
                    #expect(complaint.ok, "\(complaint.completion)")
                    #expect(try await staff.request("REVIEW CLOSE-POSTING \(id) rev=15").code == "INVALID-TRANSITION")
                    #expect(
                        try await staff.request(
                            "REVIEW ANSWER \(id) complaint=K-1 answer=\"Đã xác minh lại; giữ kết quả\" rev=15"
                        ).ok)
                    #expect(
                        try await staff.request("REVIEW CLOSE-POSTING \(id) rev=16").code == "INVALID-TRANSITION",
                        "the posting runs through 2026-09-24")
                }
                move(to: "2026-09-25")
                try await server.session("canbo") { staff async throws in
                    let closed = try await staff.request("REVIEW CLOSE-POSTING \(id) rev=16")
                    #expect(closed.ok, "\(closed.completion)")
                    #expect(closed.records.first?["stage"] == "opinion")
                    #expect(
                        try await staff.request("REVIEW OPINION \(id) reference=x date=2026-09-25 agrees=yes rev=17")
                            .code == "FORBIDDEN")
                }
                move(to: "2026-09-28")
                try await server.session("lan") { chairman async throws in
                    let opinion = try await chairman.request(
                        "REVIEW OPINION \(id) reference=\"156/UBND-LĐTBXH\" date=2026-09-28 agrees=yes rev=17")
                    #expect(opinion.ok, "\(opinion.completion)")
                    #expect(opinion.records.first?["stage"] == "decision")
                    #expect(
                        try await chairman.request("REVIEW DECIDE \(id) number=\"45/QĐ-UBND\" date=2026-09-28 rev=18")
                            .code
                            == "FORBIDDEN", "the province chairman does not decide; the commune chairman does")
                }
                move(to: "2026-09-30")
                try await server.session("chutich") { chairman async throws in
                    let decided = try await chairman.request(
                        "REVIEW DECIDE \(id) number=\"45/QĐ-UBND\" date=2026-09-30 rev=18")
                    #expect(decided.ok, "\(decided.completion)")
                    #expect(decided.records.first?["stage"] == "certificates")
                    #expect(decided.records.first?["decision"] == "45/QĐ-UBND")
                    let certified = try await chairman.request("REVIEW CERTIFY \(id) rev=19")
                    #expect(certified.ok, "\(certified.completion)")
                    let certificates = certified.records.filter { $0.type == "CERTIFICATE" }
                    #expect(certificates.map { $0["number"] } == ["01/GCN-HN.HCN", "02/GCN-HN.HCN"])
                    #expect(certificates.map { $0["class"] } == ["poor", "near-poor"])
                    #expect(certificates.map { $0["household"] } == [a, b])
                }
                try await server.session("canbo") { staff async throws in
                    let frozen = try await staff.request(
                        "REVIEW SURVEY \(id) household=\(c) score-a=100 score-b=0 rev=20")
                    #expect(frozen.code == "INVALID-TRANSITION", "a decided campaign is frozen")
                    let answer = try await staff.request("REVIEW ASSESSMENTS commune=02014 year=2027")
                    #expect(answer.ok, "\(answer.completion)")
                    #expect(answer.records.last?["total"] == "3")
                    let listed = answer.records.filter { $0.type == "REVIEW-ASSESSMENT" }
                    let page = try await staff.request("REVIEW ASSESSMENTS commune=02014 year=2027 limit=1 offset=2")
                    #expect(page.records.map(\.type) == ["REVIEW-ASSESSMENT", "PAGE"])
                    #expect(page.records.first?["household"] == c && page.completion.text == "1 of 3 assessments")
                    #expect(listed.map { $0["household"] } == [a, b, c])
                    #expect(listed.map { $0["class"] } == ["poor", "near-poor", "none"])
                    #expect(listed.allSatisfy { $0["in-force"] == "yes" && $0["decision"] == "45/QĐ-UBND" })
                    #expect(listed.first?["standard"] == "nd351-2025")
                    #expect(listed.first?["persons"] == "1")
                }
                // The next month: a household asks to be reviewed (Mẫu 01); the ad-hoc review starts on the 15th.
                move(to: "2026-11-03")
                let adHoc = try await server.session("canbo") { staff async throws -> String in
                    let opened = try await staff.request("REVIEW OPEN commune=02014 kind=ad-hoc")
                    #expect(opened.ok, "\(opened.completion)")
                    let campaign = try #require(opened.records.first)
                    #expect(campaign["review-start"] == "2026-11-15")
                    #expect(campaign["decision-due"] == "2026-11-30")
                    #expect(campaign["standard"] == "nd07-2021", "an ad-hoc review corrects this year's list")
                    #expect(campaign["stage"] == "listing")
                    let adHoc = try #require(campaign["id"])
                    #expect(
                        try await staff.request(
                            "REVIEW ADD \(adHoc) household=\(c) basis=mau-01 received=2026-11-03 rev=1"
                        ).ok)
                    #expect(
                        try await staff.request(
                            "REVIEW SURVEY \(adHoc) household=\(c) score-a=100 score-b=30 deprived=housing-quality,latrine,telecom rev=2"
                        ).code
                            == "INVALID-TRANSITION", "the survey starts on the review day")
                    return adHoc
                }
                move(to: "2026-11-16")
                try await server.session("canbo") { staff async throws in
                    #expect(
                        try await staff.request(
                            "REVIEW SURVEY \(adHoc) household=\(c) score-a=100 score-b=30 deprived=housing-quality,latrine,telecom rev=2"
                        ).ok)
                    #expect(
                        try await staff.request(
                            "REVIEW MEETING \(adHoc) village=\"Thôn Khuổi Chủ\" held=2026-11-16 attendees=20 agreeing=10 minutes=\"BB 07/2026\" rev=3"
                        ).ok, "exactly 50 % agrees")
                    #expect(try await staff.request("REVIEW POST \(adHoc) rev=4").ok)
                }
                move(to: "2026-11-20")
                try await server.session("canbo") { staff async throws in
                    #expect(try await staff.request("REVIEW CLOSE-POSTING \(adHoc) rev=5").ok)
                }
                try await server.session("chutich") { chairman async throws in
                    let decided = try await chairman.request(
                        "REVIEW DECIDE \(adHoc) number=\"61/QĐ-UBND\" date=2026-11-20 rev=6")
                    #expect(decided.ok, "\(decided.completion)")
                    let certified = try await chairman.request("REVIEW CERTIFY \(adHoc) rev=7")
                    #expect(
                        certified.records.filter { $0.type == "CERTIFICATE" }.map { $0["number"] } == ["03/GCN-HN.HCN"],
                        "the commune's numbering goes on through the year")
                    let history = try await chairman.request("REVIEW ASSESSMENTS household=\(c)").records.filter {
                        $0.type == "REVIEW-ASSESSMENT"
                    }
                    #expect(history.map { $0["list-year"] } == ["2026", "2027"])
                    #expect(history.map { $0["class"] } == ["poor", "none"])
                    let flows = try await chairman.request("REVIEW FLOWS commune=02014 from=2026 to=2027")
                    #expect(flows.ok, "\(flows.completion)")
                    let record = try #require(flows.records.first)
                    #expect(record["poor-start"] == "1")
                    #expect(record["escaped-poor"] == "1")
                    #expect(record["newly-poor"] == "1")
                    #expect(record["newly-near-poor"] == "1")
                    #expect(record["poor-end"] == "1")
                    #expect(record["balanced"] == "yes")
                    #expect(
                        try await chairman.request("REVIEW FLOWS province=19 from=2026 to=2027").code == "OUT-OF-SCOPE",
                        "the commune chairman's scope is his commune")
                    #expect(try await chairman.request("REVIEW FLOWS from=2026 to=2027").code == "INVALID")
                }
                // The province's flows are the commune's: no other commune of Thái Nguyên has a decided list.
                try await server.session("lan") { province async throws in
                    let flows = try await province.request("REVIEW FLOWS province=19 from=2026 to=2027")
                    #expect(flows.records.first?["unit"] == "19", "\(flows.completion)")
                    #expect(flows.records.first?["escaped-poor"] == "1" && flows.records.first?["poor-end"] == "1")
                }
                // Every step is in the audit chain, which still verifies, and HISTORY reads it.
                let trail = try await server.store.auditRecords(entity: "review:\(id)", limit: 100, offset: 0)
                #expect(trail.count == 20)
                try await server.session("kiemtoan") { auditor async throws in
                    let history = try await auditor.request("HISTORY review:\(id) limit=100")
                    #expect(history.records.filter { $0.type == "AUDIT" }.count == 20, "\(history.completion)")
                    #expect(
                        try await auditor.request("HISTORY office:OF-1").records.first?["command"] == "OFFICE ASSIGN")
                    #expect(try await auditor.request("HISTORY review:RC-99").code == "NOT-FOUND")
                }
                #expect(try await server.store.verifyAudit().records > 0)
            }
        }
    }
}

extension ServerSuites.ReviewProcedureTests {
    /// A campaign not decided by 14 December is announced as its decision day nears and once it has passed,
    /// each once, to a watcher of the commune.
    @Test func anUndecidedCampaignRaisesItsDeadlineNoticesOnce() async throws {
        let configuration = TestServer.configured {
            $0.events.deadlineCheck = .seconds(1)
            $0.events.deadlineSoonDays = 3
        }
        let now = NIOLockedValueBox(Self.morning("2026-12-01"))
        let clock: @Sendable () -> Date = { now.withLockedValue { $0 } }
        try await TestServer.run(configuration, clock: clock) { server in
            try await server.session("canbo") { staff async throws in
                #expect(try await staff.request("WATCH commune=02014").ok)
                let opened = try await staff.request("REVIEW OPEN commune=02014")
                #expect(opened.ok, "\(opened.completion)")
                now.withLockedValue { $0 = Self.morning("2026-12-12") }
                let soon = try await ServerSuites.EventTests.events(staff, count: 2)
                #expect(soon.map { $0["type"] } == ["review.opened", "review.deadline-soon"])
                #expect(soon[1]["campaign"] == "RC-1" && soon[1]["due"] == "2026-12-14" && soon[1]["actor"] == "system")
                now.withLockedValue { $0 = Self.morning("2026-12-15") }
                let overdue = try await ServerSuites.EventTests.events(staff, count: 1)
                #expect(overdue.map { $0["type"] } == ["review.overdue"])
                try await Task.sleep(for: .seconds(2.5))
            }
            let raised = try await server.store.events(after: 0, through: nil, limit: 100).map(\.draft.type)
            #expect(
                raised.filter { $0 == .reviewDeadlineSoon || $0 == .reviewOverdue } == [
                    .reviewDeadlineSoon, .reviewOverdue,
                ])
        }
    }
}

extension ServerSuites.ReviewProcedureTests {
    static let sample: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tools/samples/survey-import.csv")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    static func importing(_ campaign: String, _ csv: String, rev: Int, dryRun: Bool = false) -> Command {
        var command = Command(tag: "i\(rev)", name: "REVIEW IMPORT", arguments: [campaign])
        command.options = ["file": csv, "source": "survey-import.csv", "rev": "\(rev)"]
        if dryRun { command.options["dry-run"] = "yes" }
        return command
    }

    /// The reviewers' sheet (Tools/samples/survey-import.csv) goes into a campaign as a literal: a dry run that
    /// keeps nothing, the import, the same file again changing nothing, and a broken file refused by line and
    /// column with nothing kept.
    // Also on PostgreSQL: an import is one transaction there too.
    @Test(arguments: TestServer.Backend.allCases)
    func aSurveySheetIsImportedAllOrNothingAndOnlyOnce(_ backend: TestServer.Backend) async throws {
        #expect(!Self.sample.isEmpty)
        let now = NIOLockedValueBox(Self.morning("2026-09-10"))
        let clock: @Sendable () -> Date = { now.withLockedValue { $0 } }
        try await TestServer.run(clock: clock, backend: backend) { server in
            try await server.session("canbo") { staff async throws in
                let opened = try await staff.request("REVIEW OPEN commune=02014")
                let id = try #require(opened.records.first?["id"])
                #expect(
                    try await staff.request(
                        "REVIEW PLAN \(id) reference=\"12/KH-UBND\" adopted=2026-09-10 reviewers=\"canbo:Thôn Nà Hin\" rev=1"
                    ).ok)
                now.withLockedValue { $0 = Self.morning("2026-10-20") }
                let dry = try await staff.request(Self.importing(id, Self.sample, rev: 2, dryRun: true))
                #expect(dry.ok, "\(dry.completion)")
                let report = try #require(dry.records.first)
                #expect(report["dry-run"] == "yes" && report["households"] == "5" && report["created"] == "5")
                #expect(report["members"] == "10" && report["listed"] == "5" && report["surveyed"] == "5")
                #expect(
                    try await staff.request("HOUSEHOLD LIST commune=02014").records.filter { $0.type == "HOUSEHOLD" }
                        .isEmpty)
                #expect(
                    try await staff.request("REVIEW SHOW \(id)").records.first?["rev"] == "2", "a dry run keeps nothing"
                )

                let real = try await staff.request(Self.importing(id, Self.sample, rev: 2))
                #expect(real.ok, "\(real.completion)")
                #expect(real.records.first?["created"] == "5" && real.records.first?["dry-run"] == "no")
                let campaign = try #require(real.records.first { $0.type == "REVIEW" })
                #expect(campaign["households"] == "5" && campaign["surveyed"] == "5" && campaign["rev"] == "3")
                let households = try await staff.request("HOUSEHOLD LIST commune=02014").records.filter {
                    $0.type == "HOUSEHOLD"
                }
                #expect(households.count == 5)
                let trail = try await server.store.verifyAudit().records

                let again = try await staff.request(Self.importing(id, Self.sample, rev: 3))
                #expect(again.ok, "\(again.completion)")
                #expect(again.records.first?["created"] == "0" && again.records.first?["unchanged"] == "5")
                #expect(again.records.first?["surveyed"] == "0" && again.records.first?["listed"] == "0")
                #expect(try await server.store.verifyAudit().records == trail, "the same file again writes nothing")

                // A date that is no date, on line 3: refused, naming it; nothing kept.
                var lines = Self.sample.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                lines[2] = lines[2].replacingOccurrences(of: "1971-08-03", with: "1971-02-30")
                let broken = lines.joined(separator: "\n").replacingOccurrences(of: "NH-", with: "XX-")
                let refused = try await staff.request(Self.importing(id, broken, rev: 3))
                #expect(refused.code == "INVALID")
                #expect(refused.completion.text.contains("line 3"), "\(refused.completion.text)")
                #expect(try await server.store.verifyAudit().records == trail)
                #expect(try await staff.request("REVIEW IMPORT \(id) file=x rev=1").code == "CONFLICT")

                // An ID number held in a commune the caller cannot read: refused without naming the household.
                let elsewhere = try await server.store.createHousehold(
                    Household(
                        commune: "01849", village: "Thôn Khác", area: .rural, head: "Người Khác", gender: .male,
                        birth: "1960-01-01", idNumber: "006060009999"),
                    claim: nil,
                    audit: AuditEntry(actor: .system("test"), command: "test", entity: "household:-", change: "setup"))
                let header = String(try #require(Self.sample.split(separator: "\n").first))
                let columns = header.split(separator: ",").map(String.init)
                let values: [String: String] = [
                    "commune": "02014", "household": "YY-01", "village": "Thôn Nà Hin", "relation": "chủ hộ",
                    "name": "Người Mới", "gender": "nam", "birth": "1960-01-01", "id_number": "006060009999",
                ]
                let taken = header + "\n" + columns.map { values[$0] ?? "" }.joined(separator: ",") + "\n"
                let leak = try await staff.request(Self.importing(id, taken, rev: 3))
                #expect(leak.code == "ALREADY-EXISTS" && leak.completion.details.isEmpty, "\(leak.completion)")
                #expect(
                    !leak.completion.text.contains(elsewhere.id) && leak.completion.text.contains("line 2"),
                    "\(leak.completion.text)")
                // A household of another commune named by id is not this campaign's to survey.
                let foreign = Self.sample.replacingOccurrences(of: "NH-01", with: elsewhere.id)
                    .replacingOccurrences(of: "NH-", with: "ZZ-")
                let refused2 = try await staff.request(Self.importing(id, foreign, rev: 3))
                #expect(refused2.code == "INVALID" && refused2.completion.text.contains("is not one of commune 02014"))
                #expect(try await server.store.verifyAudit().records == trail + 1, "only the fixture's record")
            }
            try await server.session("pho") { deputy async throws in
                #expect(
                    try await deputy.request(Self.importing("RC-1", Self.sample, rev: 3)).code == "FORBIDDEN",
                    "a deputy keeps no household register")
            }
        }
    }
}

extension ServerSuites.ReviewProcedureTests {
    /// `caseline-server import households` on a data directory: the sheet goes in, a second run changes
    /// nothing, a refused file names its lines and leaves the store as it was.
    @Test func theImportSubcommandLoadsASheetOnce() async throws {
        let data = ServerSuites.ServerProcessTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        _ = try await ServerProcess.initialise(data)
        let path = data.appendingPathComponent("caseline.sqlite").path
        let store = try SQLiteStore(path: path)
        // A campaign already in its survey, made as the store keeps it (the survey days lie before today).
        _ = try await store.openReviewCampaign(claim: nil) { id -> ReviewOpening in
            let start = CivilDate(year: 2026, month: 9, day: 1)!
            let campaign = ReviewCampaign(
                id: id, kind: .periodic, commune: "02014", higherLevelUnits: HigherLevelUnits(province: "19"),
                reviewYear: 2026, listYear: 2027, standardID: "nd351-2025", standardRevision: 1, stage: .listing,
                opened: start, reviewStart: start, decisionDue: CivilDate(year: 2026, month: 12, day: 14)!)
            return ReviewOpening(
                step: ReviewStep(campaign: campaign, effects: [], events: [], audit: "opened"),
                audit: AuditEntry(actor: .system("test"), command: "test", entity: "review:\(id)", change: "opened"))
        }
        try await store.close()
        let executable = ServerSuites.ServerProcessTests.executable.path
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tools/samples/survey-import.csv").path
        let arguments = ["import", "households", "--data", data.path, "--campaign", "RC-1", sample]
        let dry = try await Peers.run(executable, arguments + ["--dry-run"], timeout: 120)
        #expect(
            dry.status == 0 && dry.stdout.contains("Would import 5 households (5 new"), "\(dry.stdout)\(dry.stderr)")
        let first = try await Peers.run(executable, arguments, timeout: 120)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(
            first.stdout.contains(
                "Imported 5 households (5 new, 0 unchanged, 10 members) into RC-1: 5 listed, 5 surveyed"),
            "\(first.stdout)")
        let second = try await Peers.run(executable, arguments, timeout: 120)
        #expect(
            second.stdout.contains("(0 new, 5 unchanged, 0 members) into RC-1: 0 listed, 0 surveyed"),
            "\(second.stdout)")
        let wrong = try await Peers.run(
            executable, ["import", "households", "--data", data.path, "--campaign", "RC-9", sample], timeout: 120)
        #expect(wrong.status != 0 && wrong.stderr.contains("no review campaign RC-9"), "\(wrong.stderr)")
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.households(communes: ["02014"]).count == 5)
        #expect(try await reopened.reviewCampaign(id: "RC-1")?.households.count == 5)
        #expect(try await reopened.verifyAudit().firstBroken == nil)
        try await reopened.close()
    }
}

/// The first instant of a day in Vietnam, as the server counts days.
enum ServerEnvironmentDay {
    static func start(_ day: String) -> Date {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: day)!
    }
}
