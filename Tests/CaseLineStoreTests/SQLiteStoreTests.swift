import CaseLineDomain
import CaseLineStore
import CaseLineStoreSQLite
import Foundation
import GRDB
import Testing

/// The Store contract, run against SQLite in memory and on disk (the PostgreSQL store will join this list).
@Suite("SQLite store")
struct SQLiteStoreTests {
    static func stores() throws -> [any Store] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "caseline-store-\(UUID().uuidString).sqlite"
        ).path
        return [try SQLiteStore(inMemoryWithClock: { Date() }), try SQLiteStore(path: path)]
    }

    let actor = Actor(login: "admin", connection: "c1@127.0.0.1")

    func entry(_ entity: String, _ change: String) -> AuditEntry {
        AuditEntry(actor: actor, command: "TEST", entity: entity, change: change)
    }

    /// Queried on the writer connection itself: GRDB's WAL set-up once overrode a FULL set before it.
    @Test func theWriterSyncsEveryCommit() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "caseline-durable-\(UUID().uuidString).sqlite"
        ).path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteStore(path: path)
        let durability = try await store.durability()
        #expect(durability.synchronous == 2, "the writer runs with \(durability)")
        #expect(durability.journalMode == "wal")
        try await store.close()
        // Reopened, as a restarted server opens it.
        let again = try SQLiteStore(path: path)
        #expect(try await again.durability().synchronous == 2)
        try await again.close()
    }

    @Test func usersAreCreatedOnceAndReadBack() async throws {
        for store in try Self.stores() {
            let user = User(
                login: "lan", name: "Nguyễn Thị Lan", role: .chair, scope: .province("19"), email: "lan@example.vn")
            try await store.createUser(user, passwordHash: "h1", audit: entry("user:lan", "created"))
            var stored = try #require(try await store.user(login: "lan"))
            #expect(stored.created != nil)
            stored.created = nil
            #expect(stored == user)
            #expect(try await store.credentials(login: "lan")?.passwordHash == "h1")
            await #expect(throws: DomainError.self) {
                try await store.createUser(user, passwordHash: "h2", audit: entry("user:lan", "again"))
            }
            try await store.setPassword(
                login: "lan", passwordHash: "h3", mustChange: true, audit: entry("user:lan", "reset"))
            let changed = try #require(try await store.user(login: "lan"))
            #expect(changed.mustChangePassword)
            #expect(changed.revision == 2)
            #expect(try await store.userCount() == 1)
            try await store.close()
        }
    }

    @Test func namesAreReadForExactlyTheLoginsAsked() async throws {
        for store in try Self.stores() {
            for (login, name) in [("lan", "Nguyễn Thị Lan"), ("minh", "Hoàng Văn Minh"), ("o'neil", "O\"Neil")] {
                try await store.createUser(
                    User(login: login, name: name, role: .staff, scope: .commune("02014")), passwordHash: "h",
                    audit: entry("user:\(login)", "created"))
            }
            #expect(try await store.userNames([]) == [:])
            #expect(try await store.userNames(["lan", "nobody"]) == ["lan": "Nguyễn Thị Lan"])
            #expect(
                try await store.userNames(["lan", "minh", "o'neil"])
                    == ["lan": "Nguyễn Thị Lan", "minh": "Hoàng Văn Minh", "o'neil": "O\"Neil"])
            try await store.close()
        }
    }

    @Test func failuresLockOneAddressOutOfANameForAWhileAndUnlockClearsThem() async throws {
        let throttle = LoginThrottle(
            baseDelayMilliseconds: 0, maximumDelayMilliseconds: 0, lockAfterFailures: 3, lockMinutes: 15)
        for store in try Self.stores() {
            try await store.createUser(
                User(login: "minh", name: "Minh", role: .officer, scope: .national), passwordHash: "h",
                audit: entry("user:minh", "created"))
            func fail(_ name: String, from address: String) async throws -> LoginState {
                try await store.recordLoginFailure(
                    name: name, address: address, throttle: throttle, lockEvents: [],
                    audit: entry("user:\(name)", "failed"))
            }
            #expect(try await fail("minh", from: "10.0.0.9").nameFailures == 1)
            #expect(try await fail("minh", from: "10.0.0.9").newlyLocked == false)
            let third = try await fail("minh", from: "10.0.0.9")
            #expect(third.newlyLocked && third.nameFailures == 3 && third.isLocked(at: Date()))
            // Locked out from the stranger's address only; the name's own address is not.
            #expect(try await store.loginState(name: "minh", address: "10.0.0.9").isLocked(at: Date()))
            #expect(try await !store.loginState(name: "minh", address: "127.0.0.1").isLocked(at: Date()))
            #expect(try await store.loginStates()["minh"]?.isLocked(at: Date()) == true)
            #expect(try await fail("ghost", from: "10.0.0.9").nameFailures == 1)
            try await store.unlock(login: "minh", audit: entry("user:minh", "unlocked"))
            #expect(try await store.loginState(name: "minh", address: "10.0.0.9") == LoginState())
            await #expect(throws: DomainError.self) {
                try await store.unlock(login: "ghost", audit: entry("user:ghost", "x"))
            }
            try await store.close()
        }
    }

    @Test func tokensAreFoundByHashAndRevokedOnce() async throws {
        for store in try Self.stores() {
            try await store.createUser(
                User(login: "minh", name: "Minh", role: .officer, scope: .national), passwordHash: "h",
                audit: entry("user:minh", "created"))
            let token = try await store.createToken(
                owner: "minh", label: "báo cáo", expires: nil, secretHash: "abc", prefix: "clt_abcd", claim: nil,
                audit: entry("token:-", "created"))
            #expect(token.id.hasPrefix("TK-"))
            #expect(try await store.token(secretHash: "abc")?.owner.login == "minh")
            #expect(try await store.token(secretHash: "nope") == nil)
            let revoked = try await store.revokeToken(id: token.id, audit: entry("token:\(token.id)", "revoked"))
            #expect(revoked.revoked != nil)
            #expect(try await store.token(id: token.id)?.revoked == revoked.revoked)
            // Revoking again changes nothing and appends no audit record.
            let before = try await store.verifyAudit().records
            #expect(try await store.revokeToken(id: token.id, audit: entry("t", "again")).revoked == revoked.revoked)
            #expect(try await store.verifyAudit().records == before)
            await #expect(throws: DomainError.self) {
                try await store.revokeToken(id: "TK-999", audit: entry("t", "none"))
            }
            #expect(try await store.tokens(owner: "minh").count == 1)
            try await store.close()
        }
    }

    @Test func theAuditChainVerifiesAndNamesTheFirstBrokenLink() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "caseline-audit-\(UUID().uuidString).sqlite"
        ).path
        let store = try SQLiteStore(path: path)
        for index in 1...5 { try await store.appendAudit(entry("user:x", "change \(index)")) }
        let verified = try await store.verifyAudit()
        #expect(verified.records == 5)
        #expect(verified.firstBroken == nil)
        #expect(try await store.auditRecords(entity: "user:x", limit: 10, offset: 0).count == 5)
        try await store.close()

        // The database refuses edits to the trail; an attacker with the file must drop the trigger first.
        try await Self.sqlite(path, "UPDATE audit SET change = 'forged' WHERE seq = 3", expectFailure: true)
        try await Self.sqlite(path, "DROP TRIGGER audit_no_update; UPDATE audit SET change = 'forged' WHERE seq = 3")
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.verifyAudit().firstBroken == 3)
        try await reopened.close()
    }

    /// Edits the file behind the store's back, as an attacker with file access would, on a connection of its own.
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
