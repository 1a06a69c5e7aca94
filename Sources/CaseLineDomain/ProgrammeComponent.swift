/// The projects of the National Target Programme 2021–2025 (QĐ 90/QĐ-TTg) that a task or a case belongs to,
/// as the wire spells them.
public enum ProgrammeComponent: String, Sendable, Hashable, CaseIterable {
    /// Infrastructure in poor districts and coastal communes.
    case infrastructure = "1"
    /// Livelihood diversification and poverty-reduction models.
    case livelihoods = "2"
    /// Production support in agriculture.
    case production = "3.1"
    /// Nutrition improvement.
    case nutrition = "3.2"
    /// Vocational training.
    case vocationalTraining = "4.1"
    /// Working abroad under contract.
    case workAbroad = "4.2"
    /// Sustainable jobs.
    case jobs = "4.3"
    /// Housing for poor and near-poor households.
    case housing = "5"
    /// Communication and information poverty reduction.
    case communication = "6"
    /// Capacity building, monitoring and evaluation.
    case capacity = "7"
    /// Work outside the programme's projects (the annual review, inspections …).
    case other
}
