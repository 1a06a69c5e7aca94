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
    /// Communication and information poverty reduction (records that name the project only).
    case communication = "6"
    /// Sub-project 6.1: reducing information poverty (giảm nghèo về thông tin).
    case informationPoverty = "6.1"
    /// Sub-project 6.2: communication on multidimensional poverty reduction (truyền thông về giảm nghèo).
    case povertyCommunication = "6.2"
    /// Capacity building, monitoring and evaluation (records that name the project only).
    case capacity = "7"
    /// Sub-project 7.1: capacity building (nâng cao năng lực thực hiện Chương trình).
    case capacityBuilding = "7.1"
    /// Sub-project 7.2: monitoring and evaluation (kiểm tra, giám sát, đánh giá).
    case monitoring = "7.2"
    /// Work outside the programme's projects (the annual review, inspections …).
    case other
}
