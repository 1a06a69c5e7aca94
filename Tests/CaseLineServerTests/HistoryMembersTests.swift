import CaseLineDomain
import CaseLineServer
import CaseLineStore
import Foundation
import Testing

extension ServerSuites {
    /// `import lists --members`: the households' members come in with them, in the same transaction, and are
    /// part of what a re-run compares (issue 18).
    @Suite("History import: members", .timeLimit(.minutes(3)))
    struct HistoryMembersTests {
        static let lists = """
            unit,successor,household,village,head,gender,birth,id_number,ethnicity,persons,list_year,class,decision,decision_date
            legacy:05431,05482,QT-1,Tổ 3,Dương Văn Hải,nam,1966-02-11,019066000101,Kinh,4,2022,poor,212/QĐ-UBND,2021-12-20
            legacy:05431,05482,QT-1,Tổ 3,Dương Văn Hải,nam,1966-02-11,019066000101,Kinh,4,2023,near-poor,198/QĐ-UBND,2022-12-19
            legacy:05431,05482,QT-2,Tổ 7,Ma Thị Hằng,nữ,1979-10-02,,Tày,3,2022,near-poor,212/QĐ-UBND,2021-12-20
            legacy:05434,,QV-9,Tổ 1,Hoàng Văn Quý,nam,1958-05-30,,Nùng,2,2022,poor,305/QĐ-UBND,2021-12-22

            """
        static let members = """
            unit,household,name,gender,birth,relation,id_number,ethnicity,disability,social_allowance,merit
            legacy:05431,QT-1,Nguyễn Thị Thơm,nữ,1968-07-21,vợ,019168000102,Kinh,,,
            legacy:05431,QT-1,Dương Văn Long,nam,1992-03-05,con,,Kinh,,,
            legacy:05431,QT-2,Ma Văn Pẻo,nam,1951-06-09,bố,,Tày,severe,yes,yes
            legacy:05434,QV-9,Hoàng Thị Lả,nữ,1960-12-02,vợ,,Nùng,,,

            """

        static func run(
            _ lists: String, members: String?, _ server: TestServer, dryRun: Bool = false
        ) async throws -> HistoryImporter.Report {
            try await HistoryImporter.run(
                Array(lists.utf8), source: "lists.csv",
                members: members.map { HistoryImporter.MembersFile(bytes: Array($0.utf8), source: "members.csv") },
                dryRun: dryRun, actor: .system("import"), command: "import lists", store: server.store,
                units: server.units, review: server.configuration.review, today: SurveyImporter.today())
        }

        static func refusal(_ body: () async throws -> Void) async -> DomainError? {
            do {
                try await body()
                return nil
            } catch let error as DomainError {
                return error
            } catch {
                return DomainError(.internalError, "\(error)")
            }
        }

        @Test func membersComeWithTheirHouseholdsAndARerunComparesThem() async throws {
            try await TestServer.run { server async throws in
                let dry = try await Self.run(Self.lists, members: Self.members, server, dryRun: true)
                #expect(dry.created == 3 && dry.members == 4)
                #expect(try await server.store.households(communes: nil).isEmpty, "a dry run keeps nothing")

                let report = try await Self.run(Self.lists, members: Self.members, server)
                #expect(report.created == 3 && report.members == 4 && report.listsOpened == 3)
                let households = try await server.store.households(communes: nil)
                let hai = try #require(households.first { $0.head == "Dương Văn Hải" })
                #expect(hai.size == 3)
                let family = try await server.store.householdMembers(household: hai.id)
                #expect(family.map(\.name) == ["Nguyễn Thị Thơm", "Dương Văn Long"])
                #expect(family.first?.idNumber == "019168000102" && family.first?.relation == "vợ")
                let hang = try #require(households.first { $0.head == "Ma Thị Hằng" })
                let father = try #require(try await server.store.householdMembers(household: hang.id).first)
                #expect(father.disability == .severe && father.socialAllowance && father.merit)
                // The household's import record lists its members as HOUSEHOLD ADD-MEMBER would.
                let trail = try await server.store.auditRecords(entity: "household:\(hai.id)", limit: 5, offset: 0)
                #expect(trail.count == 1)
                #expect(trail.first?.entry.change.contains("member: vợ; name: Nguyễn Thị Thơm") == true)
                #expect(trail.first?.entry.change.contains("members.csv line") == true, "\(trail)")
                #expect(try await server.store.verifyAudit().firstBroken == nil)

                // The same files again change nothing; the lists alone (members not stated) too.
                let before = try await server.store.verifyAudit()
                let again = try await Self.run(Self.lists, members: Self.members, server)
                #expect(again.created == 0 && again.unchanged == 3 && again.members == 0)
                let listsOnly = try await Self.run(Self.lists, members: nil, server)
                #expect(listsOnly.created == 0 && listsOnly.unchanged == 3)
                #expect(try await server.store.verifyAudit().records == before.records)

                // A member changed: CONFLICT, naming the household's lines in both files; nothing kept.
                let changed = Self.members.replacingOccurrences(of: "1992-03-05", with: "1993-03-05")
                let conflict = await Self.refusal { _ = try await Self.run(Self.lists, members: changed, server) }
                #expect(conflict?.code == .conflict)
                #expect(conflict?.message.contains("lists.csv lines 2–3") == true, "\(String(describing: conflict))")
                #expect(conflict?.message.contains("members.csv lines 2–3") == true)
                #expect(conflict?.details.first?.1 == hai.id)
                // A member added to a household imported without: also a conflict.
                let added = Self.members + "legacy:05431,QT-1,Dương Thị Na,nữ,2009-11-30,con,,Kinh,,,\n"
                let more = await Self.refusal { _ = try await Self.run(Self.lists, members: added, server) }
                #expect(more?.code == .conflict)
                #expect(try await server.store.verifyAudit().records == before.records)
                #expect(try await server.store.householdMembers(household: hai.id).count == 2)
            }
        }

        @Test func badMemberRowsAreNamedByFileLineAndColumn() async throws {
            try await TestServer.run { server async throws in
                let bad = """
                    unit,household,name,gender,birth,relation,id_number,ethnicity,disability,social_allowance,merit
                    legacy:05431,QT-1,Nguyễn Thị Thơm,nữ,1968-07-21,vợ,019066000101,Kinh,,,
                    legacy:05431,QT-7,Dương Văn Long,nam,1992-03-05,con,,Kinh,,,
                    legacy:05431,QT-2,Ma Văn Pẻo,robot,2090-06-09,kẻ lạ,12345,Klingon,tall,maybe,
                    ,QT-2,,nam,1951-06-09,bố,,,,,

                    """
                let error = await Self.refusal { _ = try await Self.run(Self.lists, members: bad, server) }
                let message = error?.message ?? ""
                #expect(error?.code == .invalid)
                // The head's ID number again, for a member.
                #expect(message.contains("members.csv: line 2, column 7 (id_number)"), "\(message)")
                #expect(message.contains("members.csv: line 3, column 2 (household)"))
                #expect(message.contains("QT-7 of legacy:05431 is not in lists.csv"))
                for column in [
                    "4, column 4 (gender)", "4, column 5 (birth)", "4, column 6 (relation)", "4, column 7 (id_number)",
                    "4, column 8 (ethnicity)", "4, column 9 (disability)", "4, column 10 (social_allowance)",
                    "5, column 1 (unit)", "5, column 3 (name)",
                ] {
                    #expect(message.contains("members.csv: line \(column)"), "\(column): \(message)")
                }
                #expect(try await server.store.households(communes: nil).isEmpty)

                // An unknown column, and the lists file's own errors named by its file.
                let header = await Self.refusal {
                    _ = try await Self.run(
                        Self.lists.replacingOccurrences(of: "2022,poor,212", with: "2022,rich,212"),
                        members: "unit,household,name,gender,birth,relation,shoe_size\n", server)
                }
                #expect(header?.message.contains("members.csv: line 1, column 7: unknown column") == true)
                #expect(header?.message.contains("lists.csv: line 2, column 12 (class)") == true)
            }
        }

        /// `caseline-server import lists --members` with the sample files of Tools/samples.
        @Test func theSampleFilesImportWithTheSubcommand() async throws {
            let data = ServerSuites.ServerProcessTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: data) }
            _ = try await ServerProcess.initialise(data)
            let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Tools/samples")
            let executable = ServerSuites.ServerProcessTests.executable.path
            let arguments = [
                "import", "lists", "--data", data.path, samples.appendingPathComponent("history-lists.csv").path,
                "--members", samples.appendingPathComponent("history-members.csv").path,
            ]
            let first = try await Peers.run(executable, arguments, timeout: 120)
            #expect(
                first.stdout.contains("Imported 4 households (4 new, 0 unchanged; 9 members) and 5 lists"),
                "\(first.stdout)\(first.stderr)")
            let second = try await Peers.run(executable, arguments, timeout: 120)
            #expect(second.stdout.contains("(0 new, 4 unchanged; 0 members)"), "\(second.stdout)\(second.stderr)")
            // A member row for a household the lists file lacks: named by the members file.
            let stray = data.appendingPathComponent("stray.csv")
            try "unit,household,name,gender,birth,relation\nlegacy:05431,QT-404,Lò Văn A,nam,1990-01-01,con\n"
                .write(to: stray, atomically: true, encoding: .utf8)
            var refused = arguments
            refused[refused.count - 1] = stray.path
            let third = try await Peers.run(executable, refused, timeout: 120)
            #expect(third.status != 0)
            #expect(third.stderr.contains("stray.csv: line 2, column 2 (household)"), "\(third.stderr)")
            #expect(third.stderr.contains("nothing was loaded"))
        }
    }
}
