import CaseLineClient
import CaseLineDomain
import CaseLineProtocol
import CaseLineServer
import CaseLineStore
import CaseLineStoreSQLite
import Foundation
import SwiftASN1
import Testing
import X509

extension ServerSuites {
    /// Promises that broke when the server was tried as an outsider would (each test failed on the code
    /// before its fix): permission holes, four-eyes, identity reads, a stub presented as data, a race that
    /// answered with the wrong code, cleartext without an alert, a certificate RFC 5280 forbids.
    @Suite("Trust regressions", .timeLimit(.minutes(3)))
    struct TrustRegressionTests {
        static let others: [User] = [
            User(login: "admin19", name: "Quản trị tỉnh", role: .admin, scope: .province("19")),
            User(login: "chairC", name: "Chủ tịch C", role: .chair, scope: .commune("18880")),
            User(login: "staffC", name: "Cán bộ C", role: .staff, scope: .commune("18880")),
        ]

        /// A province's admin manages the tokens and delegations of its own province only, and chains are
        /// national (token ids are sequential: every token in the country could be listed and revoked).
        @Test func aProvinceAdminStaysInItsProvince() async throws {
            try await TestServer.run { server in
                for user in Self.others { try await server.addUser(user) }
                let token = try await server.store.createToken(
                    owner: "staffC", label: "máy C", expires: nil, secretHash: "h-c", prefix: "abcd", claim: nil,
                    audit: AuditEntry(actor: .system("t"), command: "t", entity: "token:-", change: "created"))
                let delegation = try await server.store.createDelegation(
                    Delegation(delegator: "chairC", delegate: "staffC", from: "2026-01-01", until: "2099-12-31"),
                    today: "2026-01-01", claim: nil,
                    audit: AuditEntry(actor: .system("t"), command: "t", entity: "delegation:-", change: "created"))
                try await server.session("admin19") { admin async throws in
                    #expect(try await admin.request("TOKEN LIST user=staffC").code == "OUT-OF-SCOPE")
                    #expect(try await admin.request("TOKEN REVOKE \(token.id)").code == "OUT-OF-SCOPE")
                    #expect(try await admin.request("DELEGATION END \(delegation.id)").code == "OUT-OF-SCOPE")
                    #expect(try await admin.request("CHAIN SET inspection steps=chair@commune").code == "OUT-OF-SCOPE")
                    #expect(try await admin.request("TOKEN LIST user=canbo").ok, "in its own province it may")
                }
                #expect(try await server.store.token(id: token.id)?.revoked == nil)
                #expect(try await server.store.delegation(id: delegation.id)?.endedAt == nil)
                try await server.session("admin") { admin async throws in
                    #expect(try await admin.request("TOKEN REVOKE \(token.id)").ok, "the national admin may")
                    #expect(try await admin.request("CHAIN SET inspection steps=chair@commune").ok)
                }
            }
        }

        /// A delegation's history is its parties' and its overseers' (DELEGATION LIST shows it to nobody else).
        @Test func onlyTheirPartiesReadADelegationsHistory() async throws {
            try await TestServer.run { server in
                let delegation = try await server.store.createDelegation(
                    Delegation(
                        delegator: "chutich", delegate: "canbo", from: "2026-01-01", until: "2099-12-31",
                        note: "Nghỉ ốm"), today: "2026-01-01", claim: nil,
                    audit: AuditEntry(actor: .system("t"), command: "t", entity: "delegation:-", change: "created"))
                try await server.session("lan") { chair async throws in
                    #expect(try await chair.request("HISTORY delegation:\(delegation.id)").code == "NOT-FOUND")
                }
                try await server.session("canbo") { delegate async throws in
                    #expect(try await delegate.request("HISTORY delegation:\(delegation.id)").ok)
                }
                try await server.session("kiemtoan") { auditor async throws in
                    #expect(try await auditor.request("HISTORY delegation:\(delegation.id)").ok)
                }
            }
        }

        /// Four-eyes: whoever changed a case's content may not decide it. A chair once wrote the amount into a
        /// draft, had staff submit it, and approved it alone.
        @Test func whoeverChangedACaseMayNotDecideIt() async throws {
            try await TestServer.run { server in
                try await TaskTests.organise(server.store)
                let id = try await server.session("canbo") { staff async throws -> String in
                    let created = try await staff.request("CASE CREATE inspection 02014 title=\"Kiểm tra nhà\"")
                    return try #require(created.records.first?["id"])
                }
                try await server.session("chutich") { chair async throws in
                    #expect(try await chair.request("CASE UPDATE \(id) title=\"Kiểm tra nhà 5 hộ\" rev=1").ok)
                }
                try await server.session("canbo") { staff async throws in
                    #expect(try await staff.request("CASE SUBMIT \(id)").ok)
                }
                try await server.session("chutich") { chair async throws in
                    let approve = try await chair.request("CASE APPROVE \(id)")
                    #expect(approve.code == "SELF-APPROVAL", "\(approve.completion)")
                    #expect(try await chair.request("PENDING").records.filter { $0.type == "PENDING" }.isEmpty)
                }
                #expect(try await server.store.caseFile(id: id)?.state == .submitted)
            }
        }

        /// Two approvers racing for one step without `rev=`: the loser is told the step was decided
        /// (`INVALID-TRANSITION`), never `CONFLICT` about a revision it never named.
        @Test func theLoserOfARaceForAStepIsToldItWasDecided() async throws {
            try await TestServer.run { server in
                try await server.addUser(
                    User(login: "chutich2", name: "Phó chủ tịch", role: .chair, scope: .commune("02014")))
                var codes: [String?] = []
                for round in 0..<12 {
                    let id = try await server.session("canbo") { staff async throws -> String in
                        let created = try await staff.request("CASE CREATE inspection 02014 title=\"Đua \(round)\"")
                        let id = try #require(created.records.first?["id"])
                        #expect(try await staff.request("CASE SUBMIT \(id)").ok)
                        return id
                    }
                    try await server.session("chutich") { first async throws in
                        try await server.session("chutich2") { second async throws in
                            // Both requests leave together; whichever commits first wins.
                            let a = first.makeTag()
                            let b = second.makeTag()
                            try await first.send(raw: Array("\(a) CASE APPROVE \(id)\r\n".utf8))
                            try await second.send(raw: Array("\(b) CASE APPROVE \(id)\r\n".utf8))
                            let results = [try await first.read(tag: a), try await second.read(tag: b)]
                            #expect(results.filter(\.ok).count == 1, "\(results.map(\.completion))")
                            codes += results.filter { !$0.ok }.map(\.code)
                        }
                    }
                }
                #expect(codes.allSatisfy { $0 == "INVALID-TRANSITION" }, "\(codes)")
            }
        }

        /// HISTORY of a household sends identity values to those who see them, and records that read as
        /// HOUSEHOLD SHOW does; to everyone else it redacts them (it once did neither).
        @Test func aHouseholdsHistoryIsAnIdentityRead() async throws {
            try await TestServer.run { server in
                let id = try await server.session("canbo") { staff async throws -> String in
                    let created = try await staff.request(
                        "HOUSEHOLD CREATE 02014 head=\"Lò Văn Pọm\" gender=male birth=1968-04-02 id-number=019068001234 village=\"Bản Nà\" area=rural"
                    )
                    return try #require(created.records.first?["id"])
                }
                try await server.session("lan") { chair async throws in
                    let history = try await chair.request("HISTORY household:\(id)")
                    #expect(history.records.contains { $0["change"]?.contains("Lò Văn Pọm") == true })
                }
                let reads = try await server.store.auditRecords(entity: "household:\(id)", limit: 100, offset: 0)
                    .filter { $0.entry.command == "HISTORY" }
                #expect(reads.count == 1)
                #expect(reads.first?.entry.actor.login == "lan")
                #expect(reads.first?.entry.change == "read: identity fields sent")
                try await server.session("kiemtoan") { auditor async throws in
                    let history = try await auditor.request("HISTORY household:\(id)")
                    #expect(history.ok)
                    #expect(!history.records.contains { $0["change"]?.contains("Lò Văn Pọm") == true })
                    #expect(!history.records.contains { $0["change"]?.contains("019068001234") == true })
                }
                // A masked answer is not an identity read.
                #expect(
                    try await server.store.auditRecords(entity: "household:\(id)", limit: 100, offset: 0)
                        .filter { $0.entry.command == "HISTORY" }.count == 1)
            }
        }

        /// UNIT SHOW counts the unit's cases (a stub once answered 0 whatever there was), legacy ones under
        /// their successor.
        @Test func unitShowCountsCasesForReal() async throws {
            try await TestServer.run { server in
                let audit = AuditEntry(actor: .system("t"), command: "t", entity: "case:-", change: "created")
                _ = try await server.store.createCase(
                    CaseFile(kind: .inspection, commune: "02014", title: "Nháp", creator: "canbo"), claim: nil,
                    audit: audit)
                var submitted = try await server.store.createCase(
                    CaseFile(kind: .inspection, commune: "legacy:02017", title: "Cũ", creator: "canbo"), claim: nil,
                    audit: audit)
                let revision = submitted.revision
                submitted.state = .submitted
                submitted.round = 1
                submitted.step = 1
                submitted.chain = [ChainStep(role: .chair, level: .commune)]
                _ = try await server.store.saveCase(submitted, expectedRevision: revision, steps: [], audit: audit)
                var done = try await server.store.createCase(
                    CaseFile(kind: .inspection, commune: "02014", title: "Xong", creator: "canbo"), claim: nil,
                    audit: audit)
                let doneRevision = done.revision
                done.state = .approved
                _ = try await server.store.saveCase(done, expectedRevision: doneRevision, steps: [], audit: audit)
                _ = try await server.store.createCase(
                    CaseFile(kind: .inspection, commune: "18880", title: "Nơi khác", creator: "canbo"), claim: nil,
                    audit: audit)
                try await server.session("lan") { chair async throws in
                    let commune = try await chair.request("UNIT SHOW 02014")
                    let counts = try #require(commune.records.first { $0.type == "WORK-COUNT" })
                    #expect(counts["open-cases"] == "2")
                    #expect(counts["pending-cases"] == "1")
                    let province = try await chair.request("UNIT SHOW 19")
                    let provinceCounts = try #require(province.records.first { $0.type == "WORK-COUNT" })
                    #expect(provinceCounts["open-cases"] == "2")
                    #expect(provinceCounts["pending-cases"] == "1")
                }
            }
        }

        /// CLP1.md §2: cleartext gets a TLS alert and nothing else — an HTTP request line too, which BoringSSL
        /// recognised and closed on without one.
        static let cleartext = ["GET / HTTP/1.0\r\n\r\n", "POST /login HTTP/1.1\r\nHost: x\r\n\r\n", "a1 PING\r\n"]

        @Test(arguments: cleartext)
        func cleartextIsRefusedWithAnAlert(_ request: String) async throws {
            try await TestServer.run { server in
                let answer = try await Peers.run(
                    "python3",
                    [
                        "-c",
                        """
                        import socket, sys
                        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
                        s.sendall(sys.argv[2].encode())
                        data = b""
                        while True:
                            chunk = s.recv(100)
                            if not chunk: break
                            data += chunk
                        print(data.hex())
                        """,
                        String(server.port), request,
                    ], timeout: 20)
                #expect(answer.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "15030100020246", "\(answer)")
            }
        }

        /// The generated certificate: the server's own is an end entity (CA:FALSE, digitalSignature only,
        /// never keyCertSign — RFC 5280 §4.2.1.3), issued by a separate one-use authority that alone may sign.
        @Test func theGeneratedCertificateKeepsRFC5280() throws {
            let generated = try CertificateFactory.selfSigned()
            let documents = try PEMDocument.parseMultiple(pemString: generated.certificatePEM)
            #expect(documents.count == 2)
            let leaf = try Certificate(pemDocument: documents[0])
            let authority = try Certificate(pemDocument: documents[1])
            #expect(try leaf.extensions.basicConstraints == .notCertificateAuthority)
            let usage = try #require(try leaf.extensions.keyUsage)
            #expect(usage.digitalSignature && !usage.keyCertSign)
            #expect(try authority.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
            #expect(try authority.extensions.keyUsage?.keyCertSign == true)
            #expect(leaf.issuer == authority.subject)
            #expect(authority.publicKey.isValidSignature(leaf.signature, for: leaf))
            #expect(try CertificateFactory.fingerprint(pem: generated.certificatePEM) == generated.fingerprint)
        }
    }
}
