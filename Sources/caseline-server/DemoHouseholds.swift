import CaseLineDomain
import CaseLineStore
import Foundation

extension DemoData {
    /// A few households of Xã Bạch Thông (02014), recorded by its staff member thuy, with members and the
    /// assessments of the last review years, so that HOUSEHOLD LIST class=poor year=2025 has something to say and
    /// one household shows an escape from poverty. Names and ID numbers are invented.
    static func seedHouseholds(_ store: any Store) async throws {
        struct Member {
            var name, birth, relation: String
            var gender: Household.Gender
        }
        struct Seed {
            var household: Household
            var members: [Member]
            /// (year, income, deprivations)
            var assessments: [(Int, Int64, [Deprivation])]
        }
        let seeds = [
            Seed(
                household: Household(
                    commune: "02014", village: "Thôn Nà Hin", area: .rural, head: "Hoàng Văn Páo", gender: .male,
                    birth: "1968-04-12", ethnicity: "Tày", idNumber: "006068001234"),
                members: [
                    Member(name: "Nông Thị Lan", birth: "1971-09-03", relation: "vợ", gender: .female),
                    Member(name: "Hoàng Văn Tú", birth: "1995-02-20", relation: "con", gender: .male),
                    Member(name: "Hoàng Thị Hoa", birth: "2010-07-15", relation: "con", gender: .female),
                ],
                assessments: [
                    (2024, 1_100_000, [.housingQuality, .housingArea, .latrine, .informationAccess]),
                    (2025, 1_200_000, [.housingQuality, .housingArea, .latrine, .informationAccess]),
                ]),
            Seed(
                household: Household(
                    commune: "02014", village: "Thôn Nà Hin", area: .rural, head: "Triệu Thị Mây", gender: .female,
                    birth: "1980-11-30", ethnicity: "Dao", idNumber: "006180004567"),
                members: [Member(name: "Triệu Văn Sinh", birth: "2012-03-08", relation: "con", gender: .male)],
                assessments: [(2024, 1_300_000, [.healthInsurance]), (2025, 1_750_000, [])]),
            Seed(
                household: Household(
                    commune: "02014", village: "Thôn Khuổi Chủ", area: .rural, head: "Lương Văn Khánh", gender: .male,
                    birth: "1975-06-01", ethnicity: "Nùng", idNumber: "006075002468"),
                members: [
                    Member(name: "Vi Thị Nguyệt", birth: "1978-01-19", relation: "vợ", gender: .female),
                    Member(name: "Lương Thị Ánh", birth: "1950-05-05", relation: "mẹ", gender: .female),
                ],
                assessments: [(2025, 1_450_000, [.employment, .drinkingWater])]),
            Seed(
                household: Household(
                    commune: "02014", village: "Thôn Bản Chiêng", area: .rural, head: "Nguyễn Văn Sơn", gender: .male,
                    birth: "1988-08-18", ethnicity: "Kinh"),
                members: [], assessments: []),
        ]
        let actor = Actor.system("demo")
        for seed in seeds {
            var household = try await store.createHousehold(
                seed.household, claim: nil,
                audit: AuditEntry(actor: actor, command: "demo", entity: "household:-", change: "demo household"))
            for member in seed.members {
                household = try await store.addHouseholdMember(
                    HouseholdMember(
                        household: household.id, name: member.name, gender: member.gender, birth: member.birth,
                        relation: member.relation),
                    expectedRevision: household.revision, claim: nil,
                    audit: AuditEntry(
                        actor: actor, command: "demo", entity: "household:\(household.id)", change: "member added")
                ).household
            }
            var previous: PovertyStandard.Classification?
            for (year, income, deprived) in seed.assessments {
                let assessment = Assessment.compute(
                    household: household, year: year, income: income, deprived: deprived,
                    standard: PovertyStandard.covering(year)!, previous: previous, by: "thuy")
                household = try await store.recordAssessment(
                    assessment, expectedRevision: household.revision,
                    audit: AuditEntry(
                        actor: actor, command: "demo", entity: "household:\(household.id)",
                        change: "assessed \(year): class=\(assessment.classification.rawValue)")
                ).household
                previous = assessment.classification
            }
        }
    }
}
