import CaseLineDomain
import CaseLineStore
import Foundation
import Testing

/// The pieces every backend reuses, checked without any store.
@Suite("Store-independent pieces")
struct StoreIndependentTests {
    static func chain(_ count: Int) -> [AuditRecord] {
        var head = AuditChain.Link.origin
        var records: [AuditRecord] = []
        for index in 1...count {
            let record = AuditChain.next(
                after: head,
                entry: AuditEntry(
                    actor: Actor(login: "lan", onBehalfOf: index.isMultiple(of: 2) ? "son" : nil, connection: "c1"),
                    command: "CMD", entity: "user:x", change: "change \(index)"),
                at: Date(timeIntervalSince1970: 1_782_000_000 + Double(index) + 0.75))
            records.append(record)
            head = AuditChain.Link(sequence: record.sequence, hash: record.hash)
        }
        return records
    }

    @Test func aChainVerifiesAndEveryEditBreaksIt() {
        let records = Self.chain(6)
        #expect(records.map(\.sequence) == Array(1...6))
        #expect(records.allSatisfy { $0.at.timeIntervalSince1970.rounded(.down) == $0.at.timeIntervalSince1970 })
        #expect(AuditChain.verify(records) == AuditVerification(records: 6, head: records[5].hash, firstBroken: nil))
        #expect(AuditChain.verify([]) == AuditVerification(records: 0, head: "", firstBroken: nil))

        var edited = records
        edited[2].entry.change = "forged"
        #expect(AuditChain.verify(edited) == AuditVerification(records: 2, head: records[1].hash, firstBroken: 3))
        var acted = records
        acted[3].entry.actor.onBehalfOf = nil
        #expect(AuditChain.verify(acted).firstBroken == 4)
        var removed = records
        removed.remove(at: 3)
        #expect(
            AuditChain.verify(removed)
                == AuditVerification(records: 3, head: records[2].hash, firstBroken: 4, gap: true))
        var swapped = records
        swapped.swapAt(1, 2)
        #expect(AuditChain.verify(swapped).firstBroken == 2)
        // A fork: two records after the same head.
        let fork = AuditChain.next(
            after: AuditChain.Link(sequence: 5, hash: records[4].hash), entry: records[5].entry, at: Date())
        #expect(AuditChain.verify(records + [fork]).firstBroken == 7)
    }

    @Test func fieldsAreLengthPrefixedSoNoTwoRecordsCollide() {
        let a = AuditEntry(actor: Actor(login: "ab", connection: "c"), command: "x", entity: "e", change: "")
        let b = AuditEntry(actor: Actor(login: "a", connection: "bc"), command: "x", entity: "e", change: "")
        #expect(
            AuditChain.hash(previous: "", sequence: 1, at: "t", entry: a)
                != AuditChain.hash(previous: "", sequence: 1, at: "t", entry: b))
        #expect(AuditChain.hash(previous: "", sequence: 1, at: "t", entry: a).count == 64)
    }

    @Test func anEntrysEventsGetTheIdOfItsEntity() {
        let draft = EventDraft(
            .taskCreated, province: "19", commune: "02014",
            details: [EventDetail("task", EventDraft.newID), EventDetail("case", EventDraft.newID)], concerns: [])
        let entry = AuditEntry(
            actor: Actor(login: "lan", connection: "c"), command: "TASK CREATE", entity: "task:T-9", change: "",
            events: [draft])
        #expect(AuditChain.events(of: entry).first?.details == [EventDetail("task", "T-9"), EventDetail("case", "-")])
        var plain = entry
        plain.entity = "unit:*"
        #expect(AuditChain.events(of: plain).first?.details.first?.value == "-")
    }

    @Test func eventsReadBackAsTheyWereEncoded() {
        let details = [EventDetail("case", "C-1"), EventDetail("note", "dòng \"một\"\n,[]"), EventDetail("a", "")]
        #expect(EventEncoding.details(from: EventEncoding.details(details)) == details)
        #expect(EventEncoding.details([]) == "[]")
        #expect(EventEncoding.details(from: "not json").isEmpty)
        #expect(EventEncoding.concerns(["son", "lan"]) == ",lan,son,")
        #expect(EventEncoding.concerns([]) == ",,", "as stored since v6: kept")
        #expect(EventEncoding.concerns(from: ",lan,son,") == ["lan", "son"])
        #expect(EventEncoding.concerns(from: ",,") == [])
        let event = EventEncoding.event(
            sequence: 7, at: "2026-06-01T10:00:00Z", type: "task.state", actor: "lan", onBehalfOf: nil,
            province: "19", commune: nil, details: EventEncoding.details(details), concerns: ",lan,")
        #expect(event?.sequence == 7 && event?.draft.details == details && event?.draft.concerns == ["lan"])
        #expect(event?.at == Timestamp.parse("2026-06-01T10:00:00Z"))
        #expect(
            EventEncoding.event(
                sequence: 1, at: "", type: "no.such", actor: "", onBehalfOf: nil, province: nil, commune: nil,
                details: "[]", concerns: ",") == nil)
    }

    @Test func idsAndListsHaveOneStoredForm() {
        #expect(EntityID.number("T-12", prefix: EntityID.task) == 12)
        #expect(EntityID.number("TC-12", prefix: EntityID.task) == nil)
        #expect(EntityID.number("T-x", prefix: EntityID.task) == nil)
        #expect(EntityID.make(EntityID.household, 3) == "HH-3")
        let funding = [
            CaseFile.Funding(source: "NSTW", amount: 12_000_000), CaseFile.Funding(source: "XHH", amount: 0),
        ]
        #expect(RecordText.funding(items: RecordText.fundingItems(funding)) == funding)
        #expect(RecordText.funding(items: ["bad", "A:1:2", "B:x"]).isEmpty)
        let deprived: [Deprivation] = [.nutrition, .healthInsurance]
        #expect(RecordText.deprivations(from: RecordText.deprivations(deprived)) == deprived)
        #expect(RecordText.deprivations(from: "") == [])
    }
}
