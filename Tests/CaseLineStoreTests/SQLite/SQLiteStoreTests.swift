import CaseLineDomain
import CaseLineStore
import CaseLineStoreSQLite
import Foundation
import GRDB
import Testing

/// What only the SQLite backend has: its durability settings and its file, which an attacker could edit. The
/// Store contract itself runs against SQLite from Contract/ (StoreBackend.all).
@Suite("SQLite store")
struct SQLiteStoreTests {
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("caseline-\(name)-\(UUID().uuidString).sqlite")
            .path
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    func entry(_ entity: String, _ change: String) -> AuditEntry {
        AuditEntry(
            actor: Actor(login: "admin", connection: "c1@127.0.0.1"), command: "TEST", entity: entity, change: change)
    }

    /// Queried on the writer connection itself: GRDB's WAL set-up once overrode a FULL set before it.
    @Test func theWriterSyncsEveryCommit() async throws {
        let path = Self.temporaryPath("durable")
        defer { Self.remove(path) }
        let store = try SQLiteStore(path: path)
        let durability = try await store.durability()
        #expect(durability.synchronous == 2, "the writer runs with \(durability)")
        #expect(durability.journalMode == "wal")
        #expect(durability.isDurable)
        try await store.close()
        // Reopened, as a restarted server opens it.
        let again = try SQLiteStore(path: path)
        #expect(try await again.durability().synchronous == 2)
        try await again.close()
    }

    @Test func durabilityNeedsWALAndAFullSync() {
        #expect(Durability(synchronous: 2, journalMode: "WAL").isDurable)
        #expect(!Durability(synchronous: 1, journalMode: "wal").isDurable)
        #expect(!Durability(synchronous: 3, journalMode: "delete").isDurable)
    }

    @Test func theAuditChainVerifiesAndNamesTheFirstBrokenLink() async throws {
        let path = Self.temporaryPath("audit")
        defer { Self.remove(path) }
        let store = try SQLiteStore(path: path)
        for index in 1...5 { try await store.appendAudit(entry("user:x", "change \(index)")) }
        let verified = try await store.verifyAudit()
        #expect(verified.records == 5)
        #expect(verified.firstBroken == nil)
        try await store.close()

        // The database refuses edits to the trail; an attacker with the file must drop the trigger first.
        try await Self.sqlite(path, "UPDATE audit SET change = 'forged' WHERE seq = 3", expectFailure: true)
        try await Self.sqlite(path, "DELETE FROM audit WHERE seq = 4", expectFailure: true)
        try await Self.sqlite(path, "DROP TRIGGER audit_no_update; UPDATE audit SET change = 'forged' WHERE seq = 3")
        let reopened = try SQLiteStore(path: path)
        let forged = try await reopened.verifyAudit()
        #expect(forged.firstBroken == 3 && !forged.gap && forged.records == 2)
        try await reopened.close()
    }

    /// The hash covers the time as stored: another spelling of the same instant is an edit.
    @Test func aTimeRewrittenInAnotherSpellingBreaksTheChain() async throws {
        let path = Self.temporaryPath("audit-time")
        defer { Self.remove(path) }
        let store = try SQLiteStore(path: path, clock: { Date(timeIntervalSince1970: 1_782_000_000) })
        for index in 1...3 { try await store.appendAudit(entry("user:x", "change \(index)")) }
        try await store.close()
        let stored = Timestamp.format(Date(timeIntervalSince1970: 1_782_000_000))
        let respelled = stored.replacingOccurrences(of: "Z", with: "+00:00")
        try #require(Timestamp.parse(respelled) == Timestamp.parse(stored), "\(respelled) is the same instant")
        try await Self.sqlite(
            path, "DROP TRIGGER audit_no_update; UPDATE audit SET at = '\(respelled)' WHERE seq = 2")
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.verifyAudit().firstBroken == 2)
        try await reopened.close()
    }

    @Test func aRemovedRecordIsAGap() async throws {
        let path = Self.temporaryPath("audit-gap")
        defer { Self.remove(path) }
        let store = try SQLiteStore(path: path)
        for index in 1...5 { try await store.appendAudit(entry("user:x", "change \(index)")) }
        try await store.close()
        try await Self.sqlite(path, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 4")
        let reopened = try SQLiteStore(path: path)
        let verification = try await reopened.verifyAudit()
        #expect(verification.firstBroken == 4 && verification.gap && verification.records == 3)
        // The next record does not take the removed number: the chain stays broken, never silently mended.
        try await reopened.appendAudit(entry("user:x", "change 6"))
        #expect(try await reopened.auditRecords(entity: nil, limit: 10, offset: 0).last?.sequence == 6)
        try await reopened.close()
    }

    /// Edits the file behind the store's back, as an attacker with file access would, on a connection of its own.
    /// The funding ledger is append-only in the file too: no entry can be changed or removed behind the trail.
    @Test func theFundingLedgerRefusesEditsAndDeletions() async throws {
        let path = Self.temporaryPath("ledger")
        defer { Self.remove(path) }
        let store = try SQLiteStore(path: path)
        let allocation = try await store.createAllocation(
            Allocation(
                year: 2023, unit: "02014", project: .housing, source: .provincial, amount: 100, document: "1/QĐ",
                by: "admin"), claim: nil, audit: entry("allocation:-", "allocated"))
        _ = try await store.recordDisbursement(
            Disbursement(
                allocation: allocation.id, amount: 60, date: CivilDate(year: 2023, month: 5, day: 1)!, by: "admin"),
            claim: nil, audit: entry("allocation:AL-1", "paid"))
        try await store.close()
        try await Self.sqlite(path, "UPDATE fund_allocation SET amount = 1000 WHERE id = 1", expectFailure: true)
        try await Self.sqlite(path, "DELETE FROM fund_allocation WHERE id = 1", expectFailure: true)
        try await Self.sqlite(path, "UPDATE fund_disbursement SET amount = 1 WHERE id = 1", expectFailure: true)
        try await Self.sqlite(path, "DELETE FROM fund_disbursement WHERE id = 1", expectFailure: true)
        try await Self.sqlite(
            path,
            "INSERT INTO fund_allocation (year, unit, project, source, amount, document, by, recorded_at) "
                + "VALUES (2023, '02014', '5', 'central', 1, 'x', 'a', 'x')", expectFailure: true)
    }

    static func sqlite(_ path: String, _ sql: String, expectFailure: Bool = false) async throws {
        let attacker = try DatabaseQueue(path: path)
        let failed: Bool
        do {
            try await attacker.write { try $0.execute(sql: sql) }
            failed = false
        } catch {
            failed = true
        }
        try attacker.close()
        #expect(failed == expectFailure, "\(sql)")
    }
}
