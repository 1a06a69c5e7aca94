public import CaseLineDomain

/// Which tasks a list reads. The store narrows by these in SQL (with the task table's indexes), so a list
/// reads the rows it may return instead of every task of the scope; the caller still applies its own
/// filters (scope, dates, overdue) to what comes back.
public struct TaskSelection: Sendable, Equatable {
    /// Commune references (nil: every commune).
    public var communes: Set<String>?
    /// Only tasks assigned to this login.
    public var assignee: String?
    /// Only tasks in these states (nil: any state).
    public var states: Set<WorkTask.State>?

    public init(communes: Set<String>? = nil, assignee: String? = nil, states: Set<WorkTask.State>? = nil) {
        self.communes = communes
        self.assignee = assignee
        self.states = states
    }
}
