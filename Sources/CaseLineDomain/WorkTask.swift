public import Foundation

/// A piece of work in a commune (CLP1.md §10.7). Named `WorkTask` so as not to shadow Swift's `Task`.
public struct WorkTask: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, CaseIterable {
        case new, assigned, inprogress, blocked, submitted, done, returned, cancelled

        public var isOpen: Bool { self != .done && self != .cancelled }
    }

    public enum Priority: String, Sendable, Hashable, CaseIterable {
        case low, normal, high, urgent
    }

    /// `T-n`; empty until stored.
    public var id: String
    public var commune: String
    public var title: String
    public var description: String?
    public var state: State
    /// The reason given for the move into the current state.
    public var reason: String?
    /// The programme project (`1` … `7`, `3.1` …, `other`).
    public var component: String?
    public var assignee: String?
    /// `YYYY-MM-DD`.
    public var due: String?
    public var priority: Priority
    public var comments: Int
    public var creator: String
    public var createdAt: Date
    public var updatedAt: Date
    public var revision: Int64
    /// Where an imported task came from; nil for tasks made in CaseLine.
    public var imported: ImportMark?

    public init(
        id: String = "", commune: String, title: String, description: String? = nil, state: State,
        reason: String? = nil, component: String? = nil, assignee: String? = nil, due: String? = nil,
        priority: Priority = .normal, comments: Int = 0, creator: String, createdAt: Date = Date(),
        updatedAt: Date = Date(), revision: Int64 = 1, imported: ImportMark? = nil
    ) {
        self.id = id
        self.commune = commune
        self.title = title
        self.description = description
        self.state = state
        self.reason = reason
        self.component = component
        self.assignee = assignee
        self.due = due
        self.priority = priority
        self.comments = comments
        self.creator = creator
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.revision = revision
        self.imported = imported
    }

    /// Derived on every read, never stored: due before today and still open.
    public func isOverdue(today: String) -> Bool {
        guard let due, state.isOpen else { return false }
        return due < today
    }
}

/// One state change of a task, kept for TASK SHOW.
public struct TaskTransition: Sendable, Hashable {
    public var task: String
    public var from: WorkTask.State
    public var to: WorkTask.State
    public var by: String
    public var at: Date
    public var reason: String?

    public init(task: String, from: WorkTask.State, to: WorkTask.State, by: String, at: Date, reason: String?) {
        self.task = task
        self.from = from
        self.to = to
        self.by = by
        self.at = at
        self.reason = reason
    }
}

/// An append-only comment on a task.
public struct TaskComment: Sendable, Hashable {
    /// `TC-n`.
    public var id: String
    public var task: String
    public var author: String
    public var at: Date
    public var text: String

    public init(id: String, task: String, author: String, at: Date, text: String) {
        self.id = id
        self.task = task
        self.author = author
        self.at = at
        self.text = text
    }
}
