import CaseLineDomain
import CaseLineStore
import Foundation
import Testing

/// Households (personal data), their members, assessments, and the records of identity fields read.
@Suite("Store contract: households")
struct HouseholdContractTests {
    /// A member's profile is kept whole, and a personal ID number names one person across every household's
    /// heads and current members.
    @Test(arguments: StoreBackend.all)
    func aMembersProfileIsKeptAndTheirIDNumberIsTheirsAlone(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            let first = try await store.createHousehold(
                Fixture.household(idNumber: "001080012345"), claim: nil, audit: Fixture.entry("household:-"))
            let member = HouseholdMember(
                household: first.id, name: "Lò Thị Mai", gender: .female, birth: "1985-05-01", relation: "vợ",
                idNumber: "001185054321", ethnicity: "Thái", disability: .mild, socialAllowance: true, merit: true)
            let added = try await store.addHouseholdMember(
                member, expectedRevision: 1, claim: nil, audit: Fixture.entry("household:\(first.id)"))
            var expected = member
            expected.id = added.member.id
            #expect(added.member == expected)
            #expect(try await store.householdMember(id: added.member.id) == expected)
            let second = try await store.createHousehold(
                Fixture.household(idNumber: nil, commune: Fixture.otherCommune), claim: nil,
                audit: Fixture.entry("household:-"))
            // The member's number is refused for a member elsewhere and for a head.
            try await expectRefused(.alreadyExists, details: ["household": first.id], by: store) {
                var copy = member
                copy.household = second.id
                return try await store.addHouseholdMember(
                    copy, expectedRevision: 1, claim: nil, audit: Fixture.entry("household:\(second.id)"))
            }
            try await expectRefused(.alreadyExists, details: ["household": first.id], by: store) {
                try await store.createHousehold(
                    Fixture.household(idNumber: "001185054321"), claim: nil, audit: Fixture.entry("household:-"))
            }
            // The head's number is refused for a member.
            try await expectRefused(.alreadyExists, details: ["household": first.id], by: store) {
                var copy = member
                copy.household = second.id
                copy.idNumber = "001080012345"
                return try await store.addHouseholdMember(
                    copy, expectedRevision: 1, claim: nil, audit: Fixture.entry("household:\(second.id)"))
            }
            // Once the member has left, the number is free again.
            _ = try await store.removeHouseholdMember(
                household: first.id, member: added.member.id, reason: "chuyển đi", expectedRevision: 2,
                audit: Fixture.entry("household:\(first.id)"))
            var moved = member
            moved.household = second.id
            let arrived = try await store.addHouseholdMember(
                moved, expectedRevision: 1, claim: nil, audit: Fixture.entry("household:\(second.id)"))
            #expect(arrived.member.idNumber == "001185054321" && arrived.member.household == second.id)
        }
    }

    @Test(arguments: StoreBackend.all)
    func aHeadsIDNumberBelongsToOneHousehold(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            let created = try await store.createHousehold(
                Fixture.household(idNumber: "001080012345"), claim: Fixture.claim("h1"),
                audit: Fixture.entry("household:-", "created"))
            #expect(created.id == "HH-1" && created.revision == 1 && created.size == 1)
            #expect(created.createdAt == clock.now && created.classification == nil && created.classYear == nil)
            var comparable = created
            let fixture = Fixture.household(idNumber: "001080012345")
            comparable.id = fixture.id
            comparable.createdAt = fixture.createdAt
            comparable.updatedAt = fixture.updatedAt
            #expect(comparable == fixture)
            #expect(try await store.household(id: "HH-1") == created)
            #expect(try await store.household(id: "HH-2") == nil)
            #expect(try await store.household(idNumber: "001080012345") == created)
            #expect(try await store.household(idNumber: "999") == nil)
            #expect(
                try await store.idempotencyRecord(login: "admin", key: "h1", maxAge: 60)?.entity == "household:HH-1")
            #expect(try await store.auditRecords(entity: "household:HH-1", limit: 5, offset: 0).count == 1)

            try await expectRefused(.alreadyExists, details: ["household": "HH-1"], by: store) {
                try await store.createHousehold(
                    Fixture.household(idNumber: "001080012345", head: "Người khác"), claim: nil,
                    audit: Fixture.entry("household:-"))
            }
            // Heads without an ID number do not clash.
            let second = try await store.createHousehold(
                Fixture.household(idNumber: nil, commune: "01912"), claim: nil, audit: Fixture.entry("household:-"))
            let third = try await store.createHousehold(
                Fixture.household(idNumber: nil), claim: nil, audit: Fixture.entry("household:-"))
            #expect(Set(try await store.households(communes: nil).map(\.id)) == [created.id, second.id, third.id])
            #expect(Set(try await store.households(communes: ["02014"]).map(\.id)) == [created.id, third.id])
            #expect(try await store.households(communes: []).isEmpty)

            clock.advance(60)
            var edited = second
            edited.head = "Lò Thị Ún"
            edited.village = "Bản Mới"
            edited.area = .urban
            edited.idNumber = "002"
            let saved = try await store.saveHousehold(
                edited, expectedRevision: 1, audit: Fixture.entry("household:HH-2"))
            #expect(saved.revision == 2 && saved.head == "Lò Thị Ún" && saved.area == .urban && saved.idNumber == "002")
            #expect(saved.updatedAt == clock.now && saved.commune == "01912")
            #expect(try await store.household(id: second.id) == saved)
            try await expectRefused(.conflict, details: ["current": "2"], by: store) {
                try await store.saveHousehold(edited, expectedRevision: 1, audit: Fixture.entry("household:HH-2"))
            }
            edited = saved
            edited.idNumber = "001080012345"
            try await expectRefused(.alreadyExists, details: ["household": "HH-1"], by: store) {
                try await store.saveHousehold(edited, expectedRevision: 2, audit: Fixture.entry("household:HH-2"))
            }
            #expect(try await store.household(id: second.id) == saved, "the refused save changed nothing")
            var missing = saved
            missing.id = "HH-99"
            try await expectRefused(.notFound, by: store) {
                try await store.saveHousehold(missing, expectedRevision: 1, audit: Fixture.entry("household:HH-99"))
            }
        }
    }

    @Test(arguments: StoreBackend.all)
    func membersAreAddedAndRemovedUnderTheHouseholdsRevision(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            let household = try await store.createHousehold(
                Fixture.household(idNumber: nil), claim: nil, audit: Fixture.entry("household:-"))
            let member = HouseholdMember(
                household: household.id, name: "Lò Thị Mai", gender: .female, birth: "2010-05-01", relation: "con")
            let added = try await store.addHouseholdMember(
                member, expectedRevision: 1, claim: Fixture.claim("p1"),
                audit: Fixture.entry("household:\(household.id)", "member P-? added"))
            #expect(added.member.id.hasPrefix("P-") && added.member.name == "Lò Thị Mai" && !added.member.removed)
            #expect(added.household.size == 2 && added.household.revision == 2)
            #expect(try await store.householdMember(id: added.member.id) == added.member)
            #expect(try await store.householdMember(id: "P-99") == nil)
            #expect(try await store.householdMembers(household: household.id) == [added.member])
            #expect(
                try await store.idempotencyRecord(login: "admin", key: "p1", maxAge: 60)?.entity
                    == "person:\(added.member.id)")
            let records = try await store.auditRecords(entity: "household:\(household.id)", limit: 5, offset: 0)
            #expect(records.last?.entry.change == "member \(added.member.id) added", "P-? names the new member")

            try await expectRefused(.conflict, details: ["current": "2"], by: store) {
                try await store.addHouseholdMember(
                    member, expectedRevision: 1, claim: nil, audit: Fixture.entry("household:\(household.id)"))
            }
            try await expectRefused(.notFound, by: store) {
                try await store.addHouseholdMember(
                    HouseholdMember(household: "HH-99", name: "x", gender: .male, birth: "2000-01-01", relation: "con"),
                    expectedRevision: 1, claim: nil, audit: Fixture.entry("household:HH-99"))
            }
            let other = try await store.addHouseholdMember(
                member, expectedRevision: 2, claim: nil, audit: Fixture.entry("household:\(household.id)"))
            #expect(other.household.size == 3)

            let after = try await store.removeHouseholdMember(
                household: household.id, member: added.member.id, reason: "chuyển đi", expectedRevision: 3,
                audit: Fixture.entry("household:\(household.id)", "removed"))
            #expect(after.size == 2 && after.revision == 4)
            #expect(try await store.householdMembers(household: household.id) == [other.member])
            #expect(try await store.householdMember(id: added.member.id)?.removed == true, "kept, marked removed")
            try await expectRefused(.notFound, by: store) {
                try await store.removeHouseholdMember(
                    household: household.id, member: added.member.id, reason: nil, expectedRevision: 4,
                    audit: Fixture.entry("household:\(household.id)"))
            }
            try await expectRefused(.conflict, details: ["current": "4"], by: store) {
                try await store.removeHouseholdMember(
                    household: household.id, member: other.member.id, reason: nil, expectedRevision: 3,
                    audit: Fixture.entry("household:\(household.id)"))
            }
            #expect(try await store.household(id: household.id)?.size == 2)
        }
    }

    @Test(arguments: StoreBackend.all)
    func aYearHasOneAssessmentInForce(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            let household = try await store.createHousehold(
                Fixture.household(idNumber: nil), claim: nil, audit: Fixture.entry("household:-"))
            let neighbour = try await store.createHousehold(
                Fixture.household(idNumber: nil), claim: nil, audit: Fixture.entry("household:-"))
            func assessment(_ id: String, _ year: Int, _ classification: PovertyStandard.Classification) -> Assessment {
                Assessment(
                    household: id, year: year, standard: "2021-2025", income: 1_200_000, area: .rural,
                    incomeLine: 1_500_000, deprived: [.healthInsurance, .nutrition], classification: classification,
                    previous: nil, by: "thuy", at: clock.now)
            }
            let first = try await store.recordAssessment(
                assessment(household.id, 2024, .poor), expectedRevision: 1, audit: Fixture.entry("household:HH-1"))
            #expect(first.assessment == assessment(household.id, 2024, .poor))
            #expect(first.household.classification == .poor && first.household.classYear == 2024)
            #expect(first.household.revision == 2)
            clock.advance(60)
            let second = try await store.recordAssessment(
                assessment(household.id, 2025, .nearPoor), expectedRevision: 2, audit: Fixture.entry("household:HH-1"))
            #expect(second.assessment.at == clock.now)
            #expect(second.household.classification == .nearPoor && second.household.classYear == 2025)
            _ = try await store.recordAssessment(
                assessment(neighbour.id, 2025, .poor), expectedRevision: 1, audit: Fixture.entry("household:HH-2"))
            // The same year again replaces it.
            let replaced = try await store.recordAssessment(
                assessment(household.id, 2025, .escaped), expectedRevision: 3, audit: Fixture.entry("household:HH-1"))
            #expect(replaced.household.classification == .escaped)
            #expect(try await store.assessments(household: household.id).map(\.year) == [2024, 2025])
            #expect(try await store.assessments(household: household.id).last?.classification == .escaped)
            #expect(
                try await store.assessments(household: household.id).first?.deprived == [.healthInsurance, .nutrition])
            let year = try await store.assessments(year: 2025)
            #expect(Set(year.map(\.household)) == [household.id, neighbour.id] && year.count == 2)
            #expect(try await store.assessments(year: 2023).isEmpty)
            try await expectRefused(.conflict, details: ["current": "4"], by: store) {
                try await store.recordAssessment(
                    assessment(household.id, 2025, .poor), expectedRevision: 3, audit: Fixture.entry("household:HH-1"))
            }
            #expect(try await store.assessments(household: household.id).last?.classification == .escaped)
        }
    }

    @Test(arguments: StoreBackend.all)
    func readsAreRecordedTogether(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            let before = try await store.verifyAudit().records
            try await store.recordReads([])
            #expect(try await store.verifyAudit().records == before)
            let reads = (1...3).map { Fixture.entry("household:HH-\($0)", "read id-number", command: "HOUSEHOLD SHOW") }
            try await store.recordReads(reads)
            let records = try await store.auditRecords(entity: nil, limit: 10, offset: 0)
            #expect(records.map(\.entry) == reads)
            #expect(records.map(\.sequence) == [before + 1, before + 2, before + 3])
        }
    }
}
