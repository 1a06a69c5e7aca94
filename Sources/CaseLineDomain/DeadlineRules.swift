/// When a task's due date raises `task.deadline-soon` and `task.overdue` (CLP1.md §8): each once per due
/// date, so moving the date re-arms them.
public enum DeadlineRules {
    public enum Kind: String, Sendable, Hashable {
        case soon
        case overdue
    }

    /// The notice a task calls for today, if any. Dates are `YYYY-MM-DD`, so they compare as text;
    /// `soonFrom` is today plus the lead time. A task found already overdue gets only `overdue`: being
    /// told it is nearly due would be stale news.
    public static func notice(for task: WorkTask, today: String, soonFrom: String) -> Kind? {
        guard let due = task.due, task.state.isOpen else { return nil }
        if due < today { return .overdue }
        if due <= soonFrom { return .soon }
        return nil
    }
}

/// A deadline event to raise unless it was raised before (the store keeps one row per task, kind and due).
public struct DeadlineNotice: Sendable, Hashable {
    public var task: String
    public var kind: DeadlineRules.Kind
    public var due: String
    public var event: EventDraft

    public init(task: String, kind: DeadlineRules.Kind, due: String, event: EventDraft) {
        self.task = task
        self.kind = kind
        self.due = due
        self.event = event
    }
}
