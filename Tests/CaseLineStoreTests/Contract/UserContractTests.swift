import CaseLineDomain
import CaseLineStore
import Foundation
import Testing

/// Users, certificates, failed logins and API tokens.
@Suite("Store contract: users, sign-in, tokens")
struct UserContractTests {
    @Test(arguments: StoreBackend.all)
    func usersAreCreatedOnceAndReadBack(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            let user = User(
                login: "lan", name: "Nguyễn Thị Lan", role: .chair, scope: .province("19"), email: "lan@example.vn",
                phone: "0912 345 678")
            #expect(try await store.userCount() == 0)
            try await store.createUser(user, passwordHash: "h1", audit: Fixture.entry("user:lan", "created"))
            var stored = try #require(try await store.user(login: "lan"))
            #expect(stored.created == clock.now)
            #expect(stored.revision == 1)
            stored.created = nil
            #expect(stored == user)
            #expect(try await store.user(login: "ghost") == nil)
            let credentials = try #require(try await store.credentials(login: "lan"))
            #expect(credentials.passwordHash == "h1")
            #expect(credentials.user.login == "lan")
            #expect(try await store.credentials(login: "ghost") == nil)

            try await expectRefused(.alreadyExists, details: ["login": "lan"], by: store) {
                try await store.createUser(user, passwordHash: "h2", audit: Fixture.entry("user:lan", "again"))
            }
            #expect(try await store.credentials(login: "lan")?.passwordHash == "h1")

            try await store.setPassword(
                login: "lan", passwordHash: "h3", mustChange: true, audit: Fixture.entry("user:lan", "reset"))
            let changed = try #require(try await store.user(login: "lan"))
            #expect(changed.mustChangePassword)
            #expect(changed.revision == 2)
            #expect(try await store.credentials(login: "lan")?.passwordHash == "h3")
            try await expectRefused(.notFound, by: store) {
                try await store.setPassword(
                    login: "ghost", passwordHash: "x", mustChange: false, audit: Fixture.entry("user:ghost"))
            }
            #expect(try await store.userCount() == 1)
            #expect(
                try await store.auditRecords(entity: "user:lan", limit: 10, offset: 0).map(\.entry.change) == [
                    "created", "reset",
                ])
        }
    }

    @Test(arguments: StoreBackend.all)
    func aUserCreatedUnderAKeyRecordsItWithTheUser(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            try await store.createUser(
                Fixture.user("tuan"), passwordHash: "h", claim: Fixture.claim("k1"),
                audit: Fixture.entry("user:tuan", "created"))
            #expect(try await store.user(login: "tuan")?.name == "Người tuan")
            let record = try await store.idempotencyRecord(login: "admin", key: "k1", maxAge: 60)
            #expect(record == IdempotencyRecord(fingerprint: "fp-k1", entity: "user:tuan"))
            // Refused: the key of the refused request is not recorded (it is in the refused transaction).
            try await expectRefused(.alreadyExists, by: store) {
                try await store.createUser(
                    Fixture.user("tuan"), passwordHash: "h", claim: Fixture.claim("k2"),
                    audit: Fixture.entry("user:tuan", "again"))
            }
            #expect(try await store.idempotencyRecord(login: "admin", key: "k2", maxAge: 60) == nil)
        }
    }

    @Test(arguments: StoreBackend.all)
    func aCertificateMapsToOneUser(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            try await Fixture.users(["lan", "minh"], in: store)
            let fingerprint = String(repeating: "ab", count: 32)
            try await store.setCertificateFingerprint(
                login: "lan", fingerprint: fingerprint, audit: Fixture.entry("user:lan", "certificate"))
            #expect(try await store.user(certificateFingerprint: fingerprint)?.login == "lan")
            #expect(try await store.user(login: "lan")?.certificateFingerprint == fingerprint)
            #expect(try await store.user(login: "lan")?.revision == 2)
            #expect(try await store.user(certificateFingerprint: String(repeating: "cd", count: 32)) == nil)
            try await expectRefused(.alreadyExists, by: store) {
                try await store.setCertificateFingerprint(
                    login: "minh", fingerprint: fingerprint, audit: Fixture.entry("user:minh", "certificate"))
            }
            #expect(try await store.user(login: "minh")?.certificateFingerprint == nil)
            // The owner may set it again; nil removes the mapping.
            try await store.setCertificateFingerprint(
                login: "lan", fingerprint: fingerprint, audit: Fixture.entry("user:lan", "again"))
            try await store.setCertificateFingerprint(
                login: "lan", fingerprint: nil, audit: Fixture.entry("user:lan", "removed"))
            #expect(try await store.user(certificateFingerprint: fingerprint) == nil)
            try await expectRefused(.notFound, by: store) {
                try await store.setCertificateFingerprint(
                    login: "ghost", fingerprint: "ff", audit: Fixture.entry("user:ghost"))
            }
        }
    }

    @Test(arguments: StoreBackend.all)
    func namesAreReadForExactlyTheLoginsAsked(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            for (login, name) in [("minh", "Hoàng Văn Minh"), ("lan", "Nguyễn Thị Lan"), ("o'neil", "O\"Neil")] {
                try await store.createUser(
                    User(login: login, name: name, role: .staff, scope: .commune("02014")), passwordHash: "h",
                    audit: Fixture.entry("user:\(login)", "created"))
            }
            #expect(try await store.userNames([]) == [:])
            #expect(try await store.userNames(["lan", "nobody"]) == ["lan": "Nguyễn Thị Lan"])
            #expect(
                try await store.userNames(["lan", "minh", "o'neil"])
                    == ["lan": "Nguyễn Thị Lan", "minh": "Hoàng Văn Minh", "o'neil": "O\"Neil"])
            #expect(try await store.users().map(\.login) == ["lan", "minh", "o'neil"])
        }
    }

    @Test(arguments: StoreBackend.all)
    func savingAUserIsACompareAndSwapThatLeavesThePassword(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _ in
            try await Fixture.users(["minh"], in: store)
            var edited = try #require(try await store.user(login: "minh"))
            edited.name = "Hoàng Văn Minh"
            edited.role = .deputy
            edited.scope = .commune("02014")
            edited.email = "minh@example.vn"
            edited.disabled = true
            edited.disabledReason = "nghỉ phép"
            let saved = try await store.saveUser(edited, expectedRevision: 1, audit: Fixture.entry("user:minh"))
            #expect(saved.revision == 2)
            #expect(saved.name == "Hoàng Văn Minh" && saved.role == .deputy && saved.scope == .commune("02014"))
            #expect(saved.disabled && saved.disabledReason == "nghỉ phép" && saved.email == "minh@example.vn")
            #expect(try await store.user(login: "minh") == saved)
            #expect(try await store.credentials(login: "minh")?.passwordHash == "h")

            edited.name = "stale"
            try await expectRefused(.conflict, details: ["current": "2"], by: store) {
                try await store.saveUser(edited, expectedRevision: 1, audit: Fixture.entry("user:minh"))
            }
            #expect(try await store.user(login: "minh") == saved)
            // Another user's certificate: one user per fingerprint, whichever method writes it.
            try await Fixture.users(["lan"], in: store)
            try await store.setCertificateFingerprint(
                login: "lan", fingerprint: "ab01", audit: Fixture.entry("user:lan", "certificate"))
            edited = saved
            edited.certificateFingerprint = "ab01"
            try await expectRefused(.alreadyExists, by: store) {
                try await store.saveUser(edited, expectedRevision: 2, audit: Fixture.entry("user:minh"))
            }
            #expect(try await store.user(certificateFingerprint: "ab01")?.login == "lan")
            try await expectRefused(.notFound, by: store) {
                try await store.saveUser(
                    Fixture.user("ghost"), expectedRevision: 1, audit: Fixture.entry("user:ghost"))
            }
        }
    }

    @Test(arguments: StoreBackend.all)
    func aLoginIsNotedWithoutAnAuditRecordOrANewRevision(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            try await Fixture.users(["minh"], in: store)
            let before = try await Footprint(store)
            clock.advance(3_600)
            try await store.recordLogin(login: "minh", at: clock.now)
            let user = try #require(try await store.user(login: "minh"))
            #expect(user.lastLogin == clock.now)
            #expect(user.revision == 1)
            #expect(try await Footprint(store) == before)
        }
    }

    @Test(arguments: StoreBackend.all)
    func failuresLockOneAddressOutOfANameForAWhileAndUnlockClearsThem(_ backend: StoreBackend) async throws {
        let throttle = LoginThrottle(
            baseDelayMilliseconds: 0, maximumDelayMilliseconds: 0, lockAfterFailures: 3, lockMinutes: 15)
        try await backend.withStore { store, clock in
            try await Fixture.users(["minh"], in: store)
            let locked = Fixture.draft(.accountLocked, details: [EventDetail("user", "minh")], concerns: ["minh"])
            func fail(_ name: String, from address: String) async throws -> LoginState {
                try await store.recordLoginFailure(
                    name: name, address: address, throttle: throttle, lockEvents: [locked],
                    audit: Fixture.entry("user:\(name)", "failed login"))
            }
            let audited = try await store.verifyAudit().records
            #expect(try await fail("minh", from: "10.0.0.9").nameFailures == 1)
            #expect(try await fail("minh", from: "10.0.0.9").newlyLocked == false)
            #expect(try await store.eventBounds().head == 0, "no lock yet, so no event")
            let third = try await fail("minh", from: "10.0.0.9")
            #expect(third.newlyLocked && third.nameFailures == 3 && third.isLocked(at: clock.now))
            #expect(third.lockedUntil == clock.now.addingTimeInterval(15 * 60))
            // Every failure has its audit record; only the one that started the lock raised the event.
            #expect(try await store.verifyAudit().records == audited + 3)
            let events = try await store.events(after: 0, through: nil, limit: 10)
            #expect(events.map(\.draft.type) == [.accountLocked])
            #expect(try await fail("minh", from: "10.0.0.9").newlyLocked == false)
            #expect(try await store.eventBounds().head == 1)

            // Locked out from the stranger's address only; the name's own address is not.
            #expect(try await store.loginState(name: "minh", address: "10.0.0.9").isLocked(at: clock.now))
            #expect(try await !store.loginState(name: "minh", address: "127.0.0.1").isLocked(at: clock.now))
            #expect(try await store.loginState(name: "minh", address: "127.0.0.1").nameFailures == 4)
            #expect(try await store.loginStates()["minh"]?.isLocked(at: clock.now) == true)
            #expect(try await fail("ghost", from: "10.0.0.9").nameFailures == 1, "names without accounts count too")
            #expect(try await store.loginStates()["ghost"]?.nameFailures == 1)
            // A lock ends by itself: past it, the name has failures but no lock in force.
            clock.advance(16 * 60)
            #expect(try await store.loginStates()["minh"]?.lockedUntil == nil)
            #expect(try await store.loginStates()["minh"]?.nameFailures == 4)

            try await store.unlock(login: "minh", audit: Fixture.entry("user:minh", "unlocked"))
            #expect(try await store.loginState(name: "minh", address: "10.0.0.9") == LoginState())
            #expect(try await store.loginStates()["minh"] == nil)
            try await expectRefused(.notFound, by: store) {
                try await store.unlock(login: "ghost", audit: Fixture.entry("user:ghost", "x"))
            }
        }
    }

    @Test(arguments: StoreBackend.all)
    func clearingFailuresForgetsTheNameAndTheAddressesAsked(_ backend: StoreBackend) async throws {
        let throttle = LoginThrottle(
            baseDelayMilliseconds: 0, maximumDelayMilliseconds: 0, lockAfterFailures: 2, lockMinutes: 15)
        try await backend.withStore { store, clock in
            for address in ["10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.2"] {
                _ = try await store.recordLoginFailure(
                    name: "lan", address: address, throttle: throttle, lockEvents: [],
                    audit: Fixture.entry("user:lan", "failed"))
            }
            let before = try await Footprint(store)
            // A success from 10.0.0.1: the name's failures and that address's lock go, the other lock stays.
            try await store.clearLoginFailures(name: "lan", address: "10.0.0.1")
            #expect(try await store.loginState(name: "lan", address: "10.0.0.1") == LoginState())
            let other = try await store.loginState(name: "lan", address: "10.0.0.2")
            #expect(other.nameFailures == 0 && other.isLocked(at: clock.now))
            // A reset: every address.
            try await store.clearLoginFailures(name: "lan", address: nil)
            #expect(try await !store.loginState(name: "lan", address: "10.0.0.2").isLocked(at: clock.now))
            #expect(try await store.loginStates()["lan"] == nil)
            #expect(try await Footprint(store) == before, "clearing keeps no audit record")
        }
    }

    @Test(arguments: StoreBackend.all)
    func tokensAreFoundByHashAndRevokedOnce(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, clock in
            try await Fixture.users(["minh", "lan"], in: store)
            let expires = clock.now.addingTimeInterval(86_400)
            let token = try await store.createToken(
                owner: "minh", label: "báo cáo", expires: expires, secretHash: "abc", prefix: "clt_abcd",
                claim: Fixture.claim("t1", login: "minh"), audit: Fixture.entry("token:-", "created"))
            #expect(token.id == "TK-1")
            #expect(token.owner == "minh" && token.label == "báo cáo" && token.prefix == "clt_abcd")
            #expect(token.created == clock.now && token.expires == expires && token.revoked == nil)
            #expect(try await store.auditRecords(entity: "token:TK-1", limit: 5, offset: 0).count == 1)
            #expect(
                try await store.idempotencyRecord(login: "minh", key: "t1", maxAge: 60)?.entity == "token:TK-1")
            let found = try #require(try await store.token(secretHash: "abc"))
            #expect(found.token == token && found.owner.login == "minh")
            #expect(try await store.token(secretHash: "nope") == nil)
            #expect(try await store.token(id: "TK-1") == token)
            #expect(try await store.token(id: "TK-999") == nil)
            #expect(try await store.token(id: "bogus") == nil)

            let other = try await store.createToken(
                owner: "lan", label: "x", expires: nil, secretHash: "def", prefix: "clt_defg", claim: nil,
                audit: Fixture.entry("token:-", "created"))
            #expect(other.id == "TK-2")
            #expect(try await store.tokens(owner: "minh") == [token])
            #expect(try await store.tokens(owner: nil).map(\.id) == ["TK-1", "TK-2"])

            let used = clock.now.addingTimeInterval(60)
            let before = try await Footprint(store)
            try await store.touchToken(id: token.id, at: used)
            try await store.touchToken(id: "TK-999", at: used)
            #expect(try await store.token(id: token.id)?.lastUsed == used)
            #expect(try await Footprint(store) == before, "a use keeps no audit record")

            clock.advance(120)
            let revoked = try await store.revokeToken(id: token.id, audit: Fixture.entry("token:TK-1", "revoked"))
            #expect(revoked.revoked == clock.now)
            #expect(try await store.token(id: token.id)?.revoked == clock.now)
            // Revoking again changes nothing and appends no audit record.
            let once = try await Footprint(store)
            clock.advance(60)
            #expect(
                try await store.revokeToken(id: token.id, audit: Fixture.entry("token:TK-1", "again")).revoked
                    == revoked.revoked)
            #expect(try await Footprint(store) == once)
            try await expectRefused(.notFound, by: store) {
                try await store.revokeToken(id: "TK-999", audit: Fixture.entry("token:TK-999", "none"))
            }
        }
    }
}
