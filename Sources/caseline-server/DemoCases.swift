import CaseLineDomain
import CaseLineStore
import Foundation

extension DemoData {
    /// Approval chains as a province would configure them, and cases at every stage: waiting for the commune
    /// chair, for the province chair (who is on leave and has delegated to her deputy), approved, and a draft.
    static func seedCases(_ store: any Store) async throws {
        func entry(_ entity: String, _ change: String) -> AuditEntry {
            AuditEntry(actor: .system("demo"), command: "demo", entity: entity, change: change)
        }
        let chains: [(CaseFile.Kind, String)] = [
            (.housingNew, "chair@commune,officer@province"), (.housingRepair, "chair@commune,officer@province"),
            (.healthInsurance, "chair@commune,officer@province"), (.vocational, "chair@province"),
            (.reviewResult, "chair@province,chair@commune"), (.inspection, "deputy@province"),
        ]
        for (kind, steps) in chains {
            _ = try await store.setChain(
                ApprovalChain(kind: kind, steps: ChainStep.parse(steps)!, updatedBy: "admin"), expectedRevision: nil,
                audit: entry("chain:\(kind.rawValue)", "steps: chair@commune → \(steps)"))
        }
        let configured = try await store.chains()

        /// Creates a case and takes it through submission and the given decisions.
        func seed(_ draft: CaseFile, submitter: String?, decisions: [String]) async throws {
            var file = try await store.createCase(draft, claim: nil, audit: entry("case:-", "demo case"))
            guard let submitter else { return }
            let chain = configured.first { $0.kind == draft.kind }!.steps
            let now = Date()
            var next = file
            next.state = .submitted
            next.round = 1
            next.chain = chain
            next.step = 1
            next.submitter = submitter
            next.submitters = [submitter]
            next.submittedAt = now
            next.waitingSince = now
            var steps = chain.enumerated().map { index, step in
                CaseStep(
                    caseID: file.id, round: 1, number: index + 1, step: step, state: index == 0 ? .waiting : .queued,
                    waitingSince: index == 0 ? now : nil)
            }
            file = try await store.saveCase(
                next, expectedRevision: file.revision, steps: steps,
                audit: AuditEntry(
                    actor: Actor(login: submitter, connection: "demo"), command: "CASE SUBMIT",
                    entity: "case:\(file.id)",
                    change: "state: draft → submitted; round: 1"))
            for (index, decider) in decisions.enumerated() {
                next = file
                steps[index].state = .approved
                steps[index].by = decider
                steps[index].at = now
                if index + 1 < chain.count {
                    steps[index + 1].state = .waiting
                    steps[index + 1].waitingSince = now
                    next.step = index + 2
                } else {
                    next.state = .approved
                    next.decidedAt = now
                }
                file = try await store.saveCase(
                    next, expectedRevision: file.revision, steps: steps,
                    audit: AuditEntry(
                        actor: Actor(login: decider, connection: "demo"), command: "CASE APPROVE",
                        entity: "case:\(file.id)", change: "step \(index + 1): approved"))
            }
        }
        try await seed(
            CaseFile(
                kind: .vocational, commune: "01912", title: "Lớp dạy nghề may công nghiệp cho 25 lao động xã Chợ Rã",
                description: "Lớp 3 tháng tại nhà văn hóa xã.\nƯu tiên lao động thuộc hộ nghèo, hộ cận nghèo.",
                amount: 30_000_000,
                funding: [.init(source: "central", amount: 20_000_000), .init(source: "commune", amount: 10_000_000)],
                documents: ["12/KH-UBND"], creator: "minh"),
            submitter: "minh", decisions: [])
        // A house-repair grant for the first demo household waits for the commune chair of Bạch Thông.
        try await seed(
            CaseFile(
                kind: .housingRepair, commune: "02014", title: "Hỗ trợ sửa chữa nhà ở cho hộ HH-1",
                description: "Nhà tạm, mái lợp lá, tường đất đã nứt.\nHộ nghèo năm 2025, 4 nhân khẩu.",
                amount: 20_000_000,
                funding: [
                    .init(source: "central", amount: 15_000_000), .init(source: "socialised", amount: 5_000_000),
                ],
                households: ["HH-1"], documents: ["45/TTr-UBND"], creator: "thuy"),
            submitter: "thuy", decisions: [])
        try await seed(
            CaseFile(
                kind: .inspection, commune: "02014",
                title: "Kiểm tra công tác rà soát hộ nghèo năm 2026 tại xã Bạch Thông",
                documents: ["05/KH-BCĐ"], creator: "thuy"),
            submitter: "thuy", decisions: [])
        try await seed(
            CaseFile(
                kind: .vocational, commune: "01912", title: "Lớp trồng và chăm sóc cây quế 2026", amount: 18_000_000,
                funding: [.init(source: "central", amount: 18_000_000)], documents: ["7/KH-UBND"], creator: "minh"),
            submitter: "minh", decisions: ["lan"])
        try await seed(
            CaseFile(
                kind: .vocational, commune: "02014", title: "Lớp kỹ thuật chăn nuôi bò sinh sản", amount: 24_000_000,
                funding: [.init(source: "central", amount: 24_000_000)], creator: "thuy"),
            submitter: nil, decisions: [])
        // The province chair is on leave this week: her deputy decides for her.
        _ = try await store.createDelegation(
            Delegation(delegator: "lan", delegate: "hung", from: day(0), until: day(6), note: "Nghỉ phép"),
            today: day(0), claim: nil, audit: entry("delegation:-", "demo delegation"))
    }
}
