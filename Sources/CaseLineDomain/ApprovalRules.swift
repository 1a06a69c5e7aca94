/// Who may decide the current step of a submitted case (CLP1.md §10.10 and "Terms"). Pure: the caller
/// supplies the users and delegations it needs.
public enum ApprovalRules {
    /// How the caller may decide: as an approver, or on behalf of one through a delegation.
    public enum Via: Sendable, Equatable {
        case direct
        case delegation(id: String, delegator: String)
    }

    /// Whether `user` approves a step `role@level` for a commune of `province`.
    public static func isApprover(_ user: User, of step: ChainStep, commune: String, province: String?) -> Bool {
        guard !user.disabled, user.role == step.role else { return false }
        switch (step.level, user.scope) {
        case (.commune, .commune(let code)): return code == commune
        case (.province, .province(let code)): return code == province
        case (.national, .national): return true
        default: return false
        }
    }

    /// The way `caller` may decide the case's current step, or the refusal (`SELF-APPROVAL`, `FORBIDDEN`).
    /// - Parameters:
    ///   - decidedInRound: logins that decided an earlier step of the current round.
    ///   - delegations: delegations active today whose delegate is the caller, with their delegators' accounts.
    public static func decide(
        _ caller: User, case file: CaseFile, commune: String, province: String?,
        decidedInRound: Set<String>, delegations: [(Delegation, User)]
    ) -> Result<Via, DomainError> {
        let excluded = file.excludedDeciders
        if excluded.contains(caller.login) {
            return .failure(
                DomainError(
                    .selfApproval, "\(caller.login) created, changed or submitted case \(file.id) and may not decide it"
                ))
        }
        if decidedInRound.contains(caller.login) {
            return .failure(DomainError(.forbidden, "you already decided an earlier step of this round"))
        }
        guard file.step >= 1, file.step <= file.chain.count else {
            return .failure(DomainError(.forbidden, "case \(file.id) has no step waiting"))
        }
        let step = file.chain[file.step - 1]
        if isApprover(caller, of: step, commune: commune, province: province) { return .success(.direct) }
        // Delegations in id order: the lowest qualifying one is recorded.
        let ordered = delegations.sorted { number($0.0.id) < number($1.0.id) }
        var blockedBySelf = false
        for (delegation, delegator) in ordered
        where isApprover(delegator, of: step, commune: commune, province: province) {
            if excluded.contains(delegator.login) || decidedInRound.contains(delegator.login) {
                blockedBySelf = blockedBySelf || excluded.contains(delegator.login)
                continue
            }
            return .success(.delegation(id: delegation.id, delegator: delegator.login))
        }
        if blockedBySelf {
            return .failure(
                DomainError(.selfApproval, "the user you act for created, changed or submitted case \(file.id)"))
        }
        return .failure(DomainError(.forbidden, "you are not a decider of step \(file.step) (\(step)) of \(file.id)"))
    }

    /// Case writers for a commune are the same people as task creators there: staff of the commune, officers
    /// responsible for it, chairs and deputies whose scope contains it.
    public static func mayWrite(_ facts: TaskRules.Facts) -> Bool { TaskRules.mayCreate(facts) }

    /// The number in an id like `C-12` or `DL-4`, for ordering by id.
    public static func number(_ id: String) -> Int { Int(id.split(separator: "-").last ?? "") ?? 0 }
}
