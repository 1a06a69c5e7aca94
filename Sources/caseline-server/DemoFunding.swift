import CaseLineDomain
import CaseLineStore
import Foundation

extension DemoData {
    /// The funding ledger of the demo province (CLP1.md §10.13): 2025 and 2026 allocations to Bạch Thông and
    /// Chợ Rã by project and source, payments (one of them the approved cinnamon class, C-4), a remainder of
    /// 2025 carried over to 2026, and the province's own monitoring money — so that `REPORT MONEY
    /// province=19 period=2026` shows real-looking figures at once.
    static func seedFunding(_ store: any Store) async throws {
        func entry(_ entity: String, _ change: String) -> AuditEntry {
            AuditEntry(actor: Actor(login: "lan", connection: "demo"), command: "demo", entity: entity, change: change)
        }
        func allocate(
            _ unit: String, _ year: Int, _ project: ProgrammeComponent, _ source: FundingSource,
            _ nature: FundNature?, _ amount: Int64, _ document: String
        ) async throws -> Allocation {
            try await store.createAllocation(
                Allocation(
                    year: year, unit: unit, project: project, source: source, nature: nature, amount: amount,
                    document: document, by: "lan"),
                claim: nil, audit: entry("allocation:-", "allocated AL-?: \(amount) VND to \(unit) for \(year)"))
        }
        func pay(_ allocation: Allocation, _ amount: Int64, _ date: String, case caseID: String? = nil) async throws {
            _ = try await store.recordDisbursement(
                Disbursement(
                    allocation: allocation.id, amount: amount, date: CivilDate(date)!, caseID: caseID,
                    document: "UNC \(date)", by: "minh"),
                claim: nil, audit: entry("allocation:\(allocation.id)", "disbursed DB-?: \(amount) VND on \(date)"))
        }
        let housing2025 = try await allocate("02014", 2025, .housing, .central, .recurrent, 350_000_000, "1234/QĐ-UBND")
        try await pay(housing2025, 150_000_000, "2025-06-20")
        try await pay(housing2025, 120_000_000, "2025-11-05")
        _ = try await store.createAllocation(
            Allocation(
                year: 2026, unit: "02014", project: .housing, source: .central, nature: .recurrent,
                amount: 80_000_000, document: "56/QĐ-UBND", carriedFrom: housing2025.id, by: "lan"),
            claim: nil, audit: entry("allocation:-", "carried 80000000 VND of \(housing2025.id) over to 2026"))
        let housing2026 = try await allocate("02014", 2026, .housing, .central, .recurrent, 400_000_000, "88/QĐ-UBND")
        try await pay(housing2026, 200_000_000, "2026-05-12")
        let socialised = try await allocate("02014", 2026, .housing, .socialised, nil, 60_000_000, "Quỹ Vì người nghèo")
        try await pay(socialised, 45_000_000, "2026-05-12")
        let training = try await allocate(
            "01912", 2026, .vocationalTraining, .central, .recurrent, 90_000_000, "90/QĐ-UBND")
        try await pay(training, 18_000_000, "2026-08-01", case: "C-4")
        let livelihood = try await allocate("01912", 2026, .livelihoods, .provincial, nil, 150_000_000, "91/QĐ-UBND")
        try await pay(livelihood, 62_500_000, "2026-07-15")
        let monitoring = try await allocate("19", 2026, .monitoring, .central, .recurrent, 120_000_000, "15/QĐ-UBND")
        try await pay(monitoring, 35_000_000, "2026-09-30")
    }
}
