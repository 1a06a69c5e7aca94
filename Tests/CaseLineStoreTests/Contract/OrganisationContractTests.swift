import CaseLineDomain
import CaseLineStore
import Foundation
import Testing

/// Administrative units, steering committees and their seats, assignments of members to communes.
@Suite("Store contract: units, committees, assignments")
struct OrganisationContractTests {
    @Test(arguments: StoreBackend.all)
    func unitsAreReplacedWholeAndReadBackExactly(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            #expect(try await store.units().units.isEmpty)
            // The real data: both editions and the lineage, every field kept.
            let bundled = try UnitResource.bundled()
            try await store.replaceUnits(
                bundled.units, links: bundled.links, audit: Fixture.entry("unit:*", "loaded"))
            let stored = try await store.units()
            #expect(stored.units.count == bundled.units.count)
            #expect(Set(stored.units) == Set(bundled.units))
            #expect(Set(stored.links) == Set(bundled.links))

            // A replacement leaves nothing of what was there.
            let units = [
                AdminUnit(
                    ref: UnitRef(.current, "90"), type: "province", name: "Tỉnh Thử", shortName: "Thử", parent: nil,
                    province: nil),
                AdminUnit(
                    ref: UnitRef(.current, "90001"), type: "commune", name: "Xã Một", shortName: "Một", parent: "90",
                    province: "90", latitude: 21.5, longitude: 105.25, areaKm2: 12.5),
                AdminUnit(
                    ref: UnitRef(.legacy, "90001"), type: "commune", name: "Xã Cũ", shortName: "Cũ", parent: "900",
                    province: "90"),
            ]
            let links = [UnitLink(legacyCode: "90001", currentCode: "90001", split: false, primary: true)]
            try await store.replaceUnits(units, links: links, audit: Fixture.entry("unit:*", "imported"))
            let replaced = try await store.units()
            #expect(Set(replaced.units) == Set(units))
            #expect(replaced.links == links)
            #expect(try await store.auditRecords(entity: "unit:*", limit: 5, offset: 0).count == 2)
        }
    }

    @Test(arguments: StoreBackend.all)
    func aUnitHasOneCommitteeSavedByRevision(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            let created = try await store.createCommittee(
                unit: "02014", name: "Ban chỉ đạo xã Bạch Thông", decision: "12/QĐ-UBND", decided: "2025-07-01",
                claim: Fixture.claim("c1"), audit: Fixture.entry("committee:-", "created"))
            #expect(created.id == "CM-1" && created.unit == "02014" && created.members == 0)
            #expect(created.revision == 1 && created.created == clock.now)
            #expect(try await store.committee(id: "CM-1") == created)
            #expect(try await store.committee(id: "CM-2") == nil)
            #expect(try await store.committee(id: "bogus") == nil)
            #expect(try await store.auditRecords(entity: "committee:CM-1", limit: 5, offset: 0).count == 1)
            #expect(
                try await store.idempotencyRecord(login: "admin", key: "c1", maxAge: 60)?.entity == "committee:CM-1")

            try await expectRefused(.alreadyExists, details: ["committee": "CM-1"], by: store) {
                try await store.createCommittee(
                    unit: "02014", name: "again", decision: "x", decided: "2025-07-02", claim: nil,
                    audit: Fixture.entry("committee:-", "again"))
            }
            let other = try await store.createCommittee(
                unit: "01912", name: "Ban chỉ đạo khác", decision: "13/QĐ-UBND", decided: "2025-07-01", claim: nil,
                audit: Fixture.entry("committee:-", "created"))
            #expect(try await store.committees().map(\.unit) == ["01912", "02014"])

            var edited = created
            edited.name = "Ban chỉ đạo (mới)"
            edited.decision = "99/QĐ-UBND"
            edited.decided = "2025-08-01"
            let saved = try await store.saveCommittee(
                edited, expectedRevision: 1, audit: Fixture.entry("committee:CM-1"))
            #expect(saved.revision == 2 && saved.name == edited.name && saved.decision == edited.decision)
            #expect(saved.decided == "2025-08-01")
            #expect(try await store.committee(id: "CM-1") == saved)
            try await expectRefused(.conflict, details: ["current": "2"], by: store) {
                try await store.saveCommittee(edited, expectedRevision: 1, audit: Fixture.entry("committee:CM-1"))
            }
            var missing = other
            missing.id = "CM-99"
            try await expectRefused(.notFound, by: store) {
                try await store.saveCommittee(missing, expectedRevision: 1, audit: Fixture.entry("committee:CM-99"))
            }
        }
    }

    @Test(arguments: StoreBackend.all)
    func seatsAreOnePerMemberAndOneChairPerCommittee(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            try await Fixture.users(["lan", "minh", "hung"], in: store)
            let committee = try await Fixture.committee(in: store)
            let other = try await Fixture.committee(unit: "01912", in: store)
            func seat(_ login: String, _ position: Committee.Position, on id: String? = nil) -> Committee.Member {
                Committee.Member(committee: id ?? committee.id, login: login, position: position, since: "2025-07-01")
            }
            let one = try await store.addMember(
                seat("lan", .chair), expectedRevision: 1, audit: Fixture.entry("committee:\(committee.id)", "+lan"))
            #expect(one.members == 1 && one.revision == 2)
            _ = try await store.addMember(
                seat("minh", .member), expectedRevision: nil, audit: Fixture.entry("committee:\(committee.id)"))
            _ = try await store.addMember(
                seat("minh", .deputy, on: other.id), expectedRevision: nil,
                audit: Fixture.entry("committee:\(other.id)"))
            #expect(
                try await store.members(committee: committee.id, login: nil) == [
                    seat("lan", .chair), seat("minh", .member),
                ])
            #expect(
                try await store.members(committee: nil, login: "minh")
                    == [seat("minh", .member), seat("minh", .deputy, on: other.id)])
            #expect(try await store.members(committee: nil, login: nil).count == 3)
            #expect(try await store.members(committee: "bogus", login: nil).isEmpty)

            try await expectRefused(.alreadyExists, by: store) {
                try await store.addMember(
                    seat("minh", .standing), expectedRevision: nil, audit: Fixture.entry("committee:\(committee.id)"))
            }
            try await expectRefused(.invalid, by: store) {
                try await store.addMember(
                    seat("hung", .chair), expectedRevision: nil, audit: Fixture.entry("committee:\(committee.id)"))
            }
            try await expectRefused(.conflict, details: ["current": "3"], by: store) {
                try await store.addMember(
                    seat("hung", .member), expectedRevision: 1, audit: Fixture.entry("committee:\(committee.id)"))
            }
            try await expectRefused(.notFound, by: store) {
                try await store.addMember(
                    seat("hung", .member, on: "CM-99"), expectedRevision: nil, audit: Fixture.entry("committee:CM-99"))
            }
            #expect(try await store.committee(id: committee.id)?.members == 2)

            // A member who holds an assignment under the committee keeps the seat until it ends.
            let held = try await store.createAssignment(
                Fixture.assignment("minh", .support, committee: committee.id), claim: nil,
                audit: Fixture.entry("assignment:-"))
            try await expectRefused(.invalid, by: store) {
                try await store.removeMember(
                    committee: committee.id, login: "minh", day: "2025-09-01", expectedRevision: nil,
                    audit: Fixture.entry("committee:\(committee.id)"))
            }
            _ = try await store.endAssignment(
                id: held.id, until: "2025-08-31", reason: nil, expectedRevision: nil,
                audit: Fixture.entry("assignment:\(held.id)"))
            let after = try await store.removeMember(
                committee: committee.id, login: "minh", day: "2025-09-01", expectedRevision: 3,
                audit: Fixture.entry("committee:\(committee.id)", "-minh"))
            #expect(after.members == 1 && after.revision == 4)
            #expect(try await store.members(committee: committee.id, login: nil) == [seat("lan", .chair)])
            try await expectRefused(.notFound, by: store) {
                try await store.removeMember(
                    committee: committee.id, login: "minh", day: "2025-09-02", expectedRevision: nil,
                    audit: Fixture.entry("committee:\(committee.id)"))
            }
            // A seat that ended may be taken again.
            _ = try await store.addMember(
                seat("minh", .member), expectedRevision: nil, audit: Fixture.entry("committee:\(committee.id)"))
        }
    }

    @Test(arguments: StoreBackend.all)
    func aCommuneHasOneLeadOverOverlappingDatesAndAMemberOneOpenAssignment(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            try await Fixture.users(["lan", "minh", "hung"], in: store)
            let committee = try await Fixture.committee(members: ["lan", "minh", "hung"], in: store)
            let created = Fixture.draft(
                .assignmentCreated, details: [EventDetail("assignment", EventDraft.newID)], concerns: ["lan"])
            let lead = try await store.createAssignment(
                Fixture.assignment("lan", committee: committee.id), claim: Fixture.claim("a1"),
                audit: Fixture.entry("assignment:-", "created", events: [created]))
            #expect(lead.id.hasPrefix("AS-") && lead.role == .lead && lead.until == nil && lead.revision == 1)
            #expect(lead.commune == "02014" && lead.login == "lan" && lead.committee == committee.id)
            #expect(try await store.assignment(id: lead.id) == lead)
            #expect(try await store.assignment(id: "AS-99") == nil)
            #expect(try await store.auditRecords(entity: "assignment:\(lead.id)", limit: 5, offset: 0).count == 1)
            #expect(
                try await store.idempotencyRecord(login: "admin", key: "a1", maxAge: 60)?.entity
                    == "assignment:\(lead.id)")
            // The event names the id the store gave.
            let event = try #require(try await store.events(after: 0, through: nil, limit: 10).last)
            #expect(event.draft["assignment"] == lead.id)

            try await expectRefused(.leadExists, details: ["lead": "lan", "assignment": lead.id], by: store) {
                try await store.createAssignment(
                    Fixture.assignment("minh", from: "2025-09-01", committee: committee.id), claim: nil,
                    audit: Fixture.entry("assignment:-"))
            }
            try await expectRefused(.alreadyExists, details: ["assignment": lead.id], by: store) {
                try await store.createAssignment(
                    Fixture.assignment("lan", .support, committee: committee.id), claim: nil,
                    audit: Fixture.entry("assignment:-"))
            }
            let support = try await store.createAssignment(
                Fixture.assignment("minh", .support, committee: committee.id), claim: nil,
                audit: Fixture.entry("assignment:-"))
            // Another commune is another matter.
            let elsewhere = try await store.createAssignment(
                Fixture.assignment("minh", commune: "01912", committee: committee.id), claim: nil,
                audit: Fixture.entry("assignment:-"))
            #expect(
                try await store.assignments(commune: "02014", login: nil).map(\.id).sorted()
                    == [lead.id, support.id].sorted())
            #expect(
                try await store.assignments(commune: nil, login: "minh").map(\.id).sorted()
                    == [support.id, elsewhere.id].sorted())
            #expect(try await store.assignments(commune: "01912", login: "minh").map(\.id) == [elsewhere.id])
            #expect(try await store.assignments(commune: nil, login: nil).count == 3)

            // Ending: compare-and-swap, never before the start, never twice.
            try await expectRefused(.conflict, details: ["current": "1"], by: store) {
                try await store.endAssignment(
                    id: lead.id, until: "2025-09-30", reason: nil, expectedRevision: 7,
                    audit: Fixture.entry("assignment:\(lead.id)"))
            }
            try await expectRefused(.invalid, by: store) {
                try await store.endAssignment(
                    id: lead.id, until: "2025-06-30", reason: nil, expectedRevision: nil,
                    audit: Fixture.entry("assignment:\(lead.id)"))
            }
            let ended = try await store.endAssignment(
                id: lead.id, until: "2025-09-30", reason: "chuyển công tác", expectedRevision: 1,
                audit: Fixture.entry("assignment:\(lead.id)", "ended"))
            #expect(ended.until == "2025-09-30" && ended.endReason == "chuyển công tác" && ended.revision == 2)
            #expect(try await store.assignment(id: lead.id) == ended)
            try await expectRefused(.invalid, by: store) {
                try await store.endAssignment(
                    id: lead.id, until: "2025-10-30", reason: nil, expectedRevision: nil,
                    audit: Fixture.entry("assignment:\(lead.id)"))
            }
            try await expectRefused(.notFound, by: store) {
                try await store.endAssignment(
                    id: "AS-99", until: "2025-10-30", reason: nil, expectedRevision: nil,
                    audit: Fixture.entry("assignment:AS-99"))
            }
            // The ended lead still overlaps a lead starting before its end, not one starting after it.
            try await expectRefused(.leadExists, by: store) {
                try await store.createAssignment(
                    Fixture.assignment("hung", from: "2025-09-15", committee: committee.id), claim: nil,
                    audit: Fixture.entry("assignment:-"))
            }
            let next = try await store.createAssignment(
                Fixture.assignment("hung", from: "2025-10-01", committee: committee.id), claim: nil,
                audit: Fixture.entry("assignment:-"))
            #expect(next.role == .lead)
        }
    }

    @Test(arguments: StoreBackend.all)
    func theLeadIsHandedOverInOneTransaction(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            try await Fixture.users(["lan", "minh", "hung"], in: store)
            let committee = try await Fixture.committee(members: ["lan", "minh", "hung"], in: store)
            try await expectRefused(.notFound, by: store) {
                try await store.reassignLead(
                    Fixture.assignment("minh", committee: committee.id), reason: nil, claim: nil,
                    audit: Fixture.entry("assignment:-"))
            }
            let lead = try await store.createAssignment(
                Fixture.assignment("lan", from: "2025-07-01", committee: committee.id), claim: nil,
                audit: Fixture.entry("assignment:-"))
            let support = try await store.createAssignment(
                Fixture.assignment("minh", .support, from: "2025-07-01", committee: committee.id), claim: nil,
                audit: Fixture.entry("assignment:-"))
            try await expectRefused(.invalid, by: store) {
                try await store.reassignLead(
                    Fixture.assignment("lan", from: "2025-08-01", committee: committee.id), reason: nil, claim: nil,
                    audit: Fixture.entry("assignment:-"))
            }
            try await expectRefused(.invalid, by: store) {
                try await store.reassignLead(
                    Fixture.assignment("minh", from: "2025-06-01", committee: committee.id), reason: nil, claim: nil,
                    audit: Fixture.entry("assignment:-"))
            }
            let before = try await store.verifyAudit().records
            let handover = try await store.reassignLead(
                Fixture.assignment("minh", from: "2025-09-01", committee: committee.id), reason: "luân chuyển",
                claim: Fixture.claim("r1"), audit: Fixture.entry("assignment:-", "lead handed over"))
            #expect(handover.ended.map(\.id) == [lead.id, support.id])
            #expect(handover.ended.allSatisfy { $0.until == "2025-09-01" && $0.endReason == "luân chuyển" })
            #expect(handover.created.login == "minh" && handover.created.role == .lead && handover.created.until == nil)
            #expect(try await store.assignment(id: lead.id) == handover.ended[0])
            #expect(try await store.assignment(id: handover.created.id) == handover.created)
            // One record per assignment ended and one for the new one.
            #expect(try await store.verifyAudit().records == before + 3)
            #expect(try await store.auditRecords(entity: "assignment:\(lead.id)", limit: 5, offset: 0).count == 2)
            #expect(
                try await store.idempotencyRecord(login: "admin", key: "r1", maxAge: 60)?.entity
                    == "assignment:\(handover.created.id)")
            let open = try await store.assignments(commune: "02014", login: nil).filter { $0.until == nil }
            #expect(open.map(\.id) == [handover.created.id])
        }
    }
}
