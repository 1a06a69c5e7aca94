/// The two standards CaseLine ships: what a deployment gets until a province loads its own description. Each
/// value cites its source; values the project could not check are listed in `unverified` (†).
extension StandardDescription {
    /// NĐ 07/2021/NĐ-CP (27/01/2021, in force 15/03/2021, amended by NĐ 30/2025/NĐ-CP), for the lists of
    /// 2022–2025, kept for 2026 by NĐ 351/2025/NĐ-CP ("tiếp tục thực hiện … đến hết ngày 31/12/2026").
    /// Lines art. 3: 1,500,000 VND rural, 2,000,000 urban; poor with 3 or more of the 12 indicators; the
    /// average-living band above the line up to 2,250,000 / 3,000,000 for farming, forestry, fishery and salt
    /// households. Scores: TT 07/2021/TT-BLĐTBXH (amended by TT 02/2022), Phiếu B. Procedure: QĐ 24/2021/QĐ-TTg.
    public static let nd07: StandardDescription = StandardDescription(
        id: "nd07-2021", revision: 1,
        title: "Chuẩn nghèo đa chiều giai đoạn 2022–2025 (áp dụng đến hết năm 2026)",
        legalBasis: [
            "Nghị định 07/2021/NĐ-CP", "Nghị định 30/2025/NĐ-CP", "Nghị định 351/2025/NĐ-CP (kéo dài đến 31/12/2026)",
            "Thông tư 07/2021/TT-BLĐTBXH", "Thông tư 02/2022/TT-BLĐTBXH", "Quyết định 24/2021/QĐ-TTg",
        ],
        listYears: YearRange(from: 2022, through: 2026),
        incomeLine: ByArea(rural: 1_500_000, urban: 2_000_000),
        scoreA: ScoreARule(line: ByArea(rural: 140, urban: 175)),
        scoreB: ScoreBRule(pointsPerIndicator: 10, poorFrom: 30),
        averageLiving: AverageLivingRule(
            incomeCeiling: ByArea(rural: 2_250_000, urban: 3_000_000), livelihoods: Livelihood.allCases),
        dimensions: nd07Dimensions,
        procedure: qd24Procedure,
        unverified: ["procedure.postingWorkingDays"])

    /// NĐ 351/2025/NĐ-CP (30/12/2025), for the lists of 2027–2030: 2,200,000 VND rural, 2,800,000 urban, poor
    /// with 3 or more deprivations, near-poor with fewer. The indicator set drops "means of access to
    /// information" and adds "use of digital services" and "handling of household waste" (final list †). Its
    /// circular (scores) and procedure were not available: the score-A lines and the procedure are TT 07's and
    /// QĐ 24's, marked †, and no average-living band is set until one is known.
    public static let nd351: StandardDescription = StandardDescription(
        id: "nd351-2025", revision: 1, title: "Chuẩn nghèo đa chiều quốc gia giai đoạn 2027–2030",
        legalBasis: ["Nghị định 351/2025/NĐ-CP"],
        listYears: YearRange(from: 2027, through: 2030),
        incomeLine: ByArea(rural: 2_200_000, urban: 2_800_000),
        scoreA: ScoreARule(line: ByArea(rural: 140, urban: 175)),
        scoreB: ScoreBRule(pointsPerIndicator: 10, poorFrom: 30),
        averageLiving: nil,
        dimensions: nd351Dimensions,
        procedure: qd24Procedure,
        unverified: ["scoreA", "scoreB.pointsPerIndicator", "dimensions", "averageLiving", "procedure"])

    static let nd07Dimensions: [DeprivationDimension] = [
        DeprivationDimension(
            code: "employment", name: "Việc làm",
            indicators: [
                DeprivationIndicator(code: "employment", name: "Việc làm"),
                DeprivationIndicator(code: "dependants", name: "Người phụ thuộc trong hộ gia đình"),
            ]),
        DeprivationDimension(
            code: "health", name: "Y tế",
            indicators: [
                DeprivationIndicator(code: "nutrition", name: "Dinh dưỡng"),
                DeprivationIndicator(code: "health-insurance", name: "Bảo hiểm y tế"),
            ]),
        DeprivationDimension(
            code: "education", name: "Giáo dục",
            indicators: [
                DeprivationIndicator(code: "adult-education", name: "Trình độ giáo dục của người lớn"),
                DeprivationIndicator(code: "school-attendance", name: "Tình trạng đi học của trẻ em"),
            ]),
        DeprivationDimension(
            code: "housing", name: "Nhà ở",
            indicators: [
                DeprivationIndicator(code: "housing-quality", name: "Chất lượng nhà ở"),
                DeprivationIndicator(code: "housing-area", name: "Diện tích nhà ở bình quân đầu người"),
            ]),
        DeprivationDimension(
            code: "water-sanitation", name: "Nước sinh hoạt và vệ sinh",
            indicators: [
                DeprivationIndicator(code: "drinking-water", name: "Nguồn nước sinh hoạt"),
                DeprivationIndicator(code: "latrine", name: "Nhà tiêu hợp vệ sinh"),
            ]),
        DeprivationDimension(
            code: "information", name: "Thông tin",
            indicators: [
                DeprivationIndicator(code: "telecom", name: "Sử dụng dịch vụ viễn thông"),
                DeprivationIndicator(code: "information-access", name: "Phương tiện phục vụ tiếp cận thông tin"),
            ]),
    ]

    static let nd351Dimensions: [DeprivationDimension] = nd07Dimensions.map { dimension in
        var dimension = dimension
        switch dimension.code {
        case "water-sanitation":
            dimension.name = "Nước sinh hoạt, vệ sinh và môi trường"
            dimension.indicators.append(DeprivationIndicator(code: "household-waste", name: "Xử lý rác thải sinh hoạt"))
        case "information":
            dimension.indicators = [
                DeprivationIndicator(code: "telecom", name: "Sử dụng dịch vụ viễn thông"),
                DeprivationIndicator(code: "digital-services", name: "Sử dụng dịch vụ số"),
            ]
        default: break
        }
        return dimension
    }

    /// QĐ 24/2021/QĐ-TTg: periodic review 1/9–14/12 (art. 3.1.a); ad-hoc monthly from the 15th (art. 3.1.b),
    /// decided within 15 days (art. 5) through the survey, meeting and posting steps of art. 4 (clauses 2–4),
    /// without the higher level's opinion (clause 5); meeting ≥ 50 % of those present; posting 3 working days †;
    /// the opinion from the district chair until 30/6/2025 and the province chair from 1/7/2025.
    static let qd24Procedure = ProcedureRules(
        periodicWindow: MonthDayWindow(from: MonthDay.september1, through: MonthDay.december14),
        adHocReviewDay: 15, adHocDecisionDays: 15, meetingAgreementPercent: 50, postingWorkingDays: 3,
        higherLevel: [
            HigherLevelPeriod(through: CivilDate(year: 2025, month: 6, day: 30), level: .district),
            HigherLevelPeriod(from: CivilDate(year: 2025, month: 7, day: 1), level: .province),
        ],
        stages: StageSequences(
            periodic: [.plan, .listing, .survey, .meetings, .posting, .opinion, .decision, .certificates],
            adHoc: [.listing, .survey, .meetings, .posting, .decision, .certificates]),
        inputs: [
            InputRule(input: .plan, stages: [.plan], actors: [.committee]),
            InputRule(input: .listHousehold, stages: [.listing, .survey], actors: [.committee]),
            InputRule(
                input: .recordSurvey, stages: [.listing, .survey, .meetings, .posting],
                actors: [.reviewer, .committee]),
            InputRule(input: .recordMeeting, stages: [.survey, .meetings], actors: [.committee]),
            InputRule(input: .openPosting, stages: [.meetings], actors: [.committee]),
            InputRule(input: .recordComplaint, stages: [.posting], actors: [.committee]),
            InputRule(input: .answerComplaint, stages: [.posting], actors: [.committee]),
            InputRule(input: .closePosting, stages: [.posting], actors: [.committee]),
            InputRule(input: .recordOpinion, stages: [.opinion], actors: [.higherLevelChair]),
            InputRule(input: .decide, stages: [.decision], actors: [.communeChair]),
            InputRule(
                input: .refuseRequest, stages: [.listing, .survey, .meetings, .posting, .decision],
                actors: [.communeChair]),
            InputRule(input: .issueCertificates, stages: [.certificates], actors: [.communeChair]),
        ],
        certificateSuffix: "GCN-HN.HCN")
}

extension MonthDay {
    static let september1 = MonthDay(checked: 9, 1)
    static let december14 = MonthDay(checked: 12, 14)
}
