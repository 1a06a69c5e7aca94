/// The kinds of entity the audit trail records changes of (`HISTORY kind:id`).
public enum EntityKind: String, Sendable, Hashable, CaseIterable {
    case user, token, unit, committee, assignment, task, household, `case`, chain, delegation
    /// A review campaign (`RC-n`) and an office holding (`OF-n`), CLP1.md §10.11.
    case review, office
    /// An allocation of the funding ledger (`AL-n`): its record and its payments.
    case allocation
}
