public import CaseLineDomain
import Crypto
public import Foundation

/// The hash chain over the audit trail, as pure functions over records, so that every backend hashes and
/// verifies alike. Each record's hash covers the previous record's hash and every field of its own, so that
/// editing, removing or reordering any record breaks every hash after it.
///
/// A backend keeps one chain (the `Store` contract's "one audit chain"): it reads the head (`Link`) and
/// appends the next record in one transaction that no other append can interleave with.
public enum AuditChain {
    /// The last record of a chain: its sequence number and hash. An empty chain's head is `Link.origin`.
    public struct Link: Sendable, Hashable {
        public var sequence: Int64
        public var hash: String

        public init(sequence: Int64, hash: String) {
            self.sequence = sequence
            self.hash = hash
        }

        /// Before the first record: sequence 0, hash "".
        public static let origin = Link(sequence: 0, hash: "")
    }

    /// The hash of the record numbered `sequence`, stamped `at` (as `Timestamp.format` writes it), following a
    /// record whose hash is `previous` ("" for the first).
    public static func hash(previous: String, sequence: Int64, at: String, entry: AuditEntry) -> String {
        // Fields are length-prefixed so that no choice of field contents can make two records collide.
        var material = Data()
        for field in [
            previous, String(sequence), at, entry.actor.login, entry.actor.onBehalfOf ?? "", entry.actor.connection,
            entry.command, entry.entity, entry.change,
        ] {
            let bytes = Data(field.utf8)
            material.append(contentsOf: "\(bytes.count):".utf8)
            material.append(bytes)
        }
        return Hex.string(SHA256.hash(data: material))
    }

    /// The record that follows `head`: numbered one after it, hashed over it. A store appends exactly this.
    public static func next(after head: Link, entry: AuditEntry, at date: Date) -> AuditRecord {
        let sequence = head.sequence + 1
        let at = Timestamp.parse(Timestamp.format(date)) ?? date
        return AuditRecord(
            sequence: sequence, at: at, entry: entry,
            hash: hash(previous: head.hash, sequence: sequence, at: Timestamp.format(at), entry: entry))
    }

    /// The events an entry raises, with the placeholder detail named by the entry's entity kind filled with its
    /// id (`task:T-4` fills `task=-` with `T-4`): the ids a store assigns reach the events it writes.
    public static func events(of entry: AuditEntry) -> [EventDraft] {
        guard !entry.events.isEmpty else { return [] }
        let entity = entry.entity.split(separator: ":", maxSplits: 1).map(String.init)
        return entity.count == 2 ? entry.events.map { $0.filling(entity[0], with: entity[1]) } : entry.events
    }

    /// Checks records fed in sequence order, one at a time, so that a backend can verify a trail of any length
    /// from a cursor without holding it.
    public struct Verifier: Sendable {
        private var previous = ""
        private var count: Int64 = 0
        private var expectedSequence: Int64 = 1
        private var broken: AuditVerification?

        public init() {}

        /// Takes the next record; returns false once the chain is broken (later records change nothing).
        /// `storedAt` is the record's time as the backend keeps it, when it keeps text: the hash is checked over
        /// that text, so that rewriting a time into another spelling of the same instant breaks the chain too.
        @discardableResult
        public mutating func add(_ record: AuditRecord, storedAt: String? = nil) -> Bool {
            guard broken == nil else { return false }
            if record.sequence != expectedSequence {
                broken = AuditVerification(records: count, head: previous, firstBroken: expectedSequence, gap: true)
                return false
            }
            let expected = AuditChain.hash(
                previous: previous, sequence: record.sequence, at: storedAt ?? Timestamp.format(record.at),
                entry: record.entry)
            if expected != record.hash {
                broken = AuditVerification(records: count, head: previous, firstBroken: record.sequence)
                return false
            }
            previous = record.hash
            count += 1
            expectedSequence += 1
            return true
        }

        /// The verdict over what was added: every record counted up to the first broken one.
        public var result: AuditVerification {
            broken ?? AuditVerification(records: count, head: previous, firstBroken: nil)
        }
    }

    /// Verifies a whole trail, records in sequence order.
    public static func verify(_ records: some Sequence<AuditRecord>) -> AuditVerification {
        var verifier = Verifier()
        for record in records where !verifier.add(record) { break }
        return verifier.result
    }
}
