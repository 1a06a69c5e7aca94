/// Who may act at a step, as a standard's description names them. The machine decides which of these a user
/// is from the facts the server supplies (`ReviewActor`).
public enum ActorKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A member of the commune's review steering committee, or the commune staff who keep the register.
    case committee
    /// Rà soát viên: surveys the households of their village, and nothing else.
    case reviewer
    /// The holder of the office of Chairman of the commune People's Committee (Chủ tịch UBND xã): decides,
    /// refuses ad-hoc requests, signs certificates.
    case communeChair = "commune-chair"
    /// The holder of the chairman's office of the higher level's People's Committee on the day: gives the
    /// opinion before the commune decides.
    case higherLevelChair = "higher-level-chair"
}
