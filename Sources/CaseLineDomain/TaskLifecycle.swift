public import Foundation

/// The life of a task as a pure state machine (CLP1.md §10.7): the task as it stands, plus an act — create,
/// edit, assign, move, comment — by someone, on a day, gives the task as it becomes with what to record (the
/// transition, the event, the audit text, the answer), or a refusal with its code. The handler only loads what
/// the machine needs, asks it, and stores what it decides; every rule is here and is tested without I/O.
public enum TaskLifecycle {
    /// What a new task is made of, as the request gave it.
    public struct Draft: Sendable, Hashable {
        public var commune: String
        public var communeName: String
        public var title: String
        public var description: String?
        public var component: String?
        public var due: String?
        public var priority: WorkTask.Priority
        public var assignee: Assignee?

        public init(
            commune: String, communeName: String, title: String, description: String? = nil, component: String? = nil,
            due: String? = nil, priority: WorkTask.Priority = .normal, assignee: Assignee? = nil
        ) {
            self.commune = commune
            self.communeName = communeName
            self.title = title
            self.description = description
            self.component = component
            self.due = due
            self.priority = priority
            self.assignee = assignee
        }
    }

    /// The fields an edit may change; nil leaves a field as it is.
    public struct Edit: Sendable, Hashable {
        public var title: String?
        public var description: String?
        public var component: String?
        public var due: String?
        public var priority: WorkTask.Priority?

        public init(
            title: String? = nil, description: String? = nil, component: String? = nil, due: String? = nil,
            priority: WorkTask.Priority? = nil
        ) {
            self.title = title
            self.description = description
            self.component = component
            self.due = due
            self.priority = priority
        }
    }

    /// The user a request names to do the work, as the store found them (or not).
    public enum Assignee: Sendable, Hashable {
        case unknown(login: String)
        /// `coversCommune`: the user's scope contains the task's commune.
        case user(User, coversCommune: Bool)
    }

    public enum Act: Sendable, Hashable {
        case create(Draft)
        case edit(Edit)
        case assign(Assignee)
        case move(to: WorkTask.State, reason: String?)
        case comment(text: String)
    }

    /// Who acts, with what they are to the task's commune, and when.
    public struct Context: Sendable {
        public var facts: TaskRules.Facts
        /// Today in the server's zone, `YYYY-MM-DD` (due dates are judged against it).
        public var today: String
        public var now: Date
        /// The `rev=` the request gave, if any.
        public var expectedRevision: Int64?

        public init(facts: TaskRules.Facts, today: String, now: Date, expectedRevision: Int64? = nil) {
            self.facts = facts
            self.today = today
            self.now = now
            self.expectedRevision = expectedRevision
        }

        var login: String { facts.user.login }
    }

    /// What an act decides.
    public struct Outcome: Sendable, Hashable {
        /// The task as it becomes (for `create`, without its id, times and revision, which the store gives).
        public var task: WorkTask
        /// The state change to record, if the state changed.
        public var transition: TaskTransition?
        /// The event to raise: its type and the details after `task=`.
        public var event: EventType
        public var details: [EventDetail]
        /// The audit record's `change` text.
        public var change: String
        /// The comment's text, for `comment`.
        public var comment: String?
    }

    /// Applies an act to the task (nil for `create`).
    public static func apply(_ act: Act, to task: WorkTask?, _ context: Context) -> Result<Outcome, DomainError> {
        do {
            switch (act, task) {
            case (.create(let draft), _): return .success(try create(draft, context))
            case (.edit(let changes), let task?): return .success(try edit(task, changes, context))
            case (.assign(let assignee), let task?): return .success(try assign(task, assignee, context))
            case (.move(let state, let reason), let task?): return .success(try move(task, state, reason, context))
            case (.comment(let text), let task?): return .success(try comment(task, text, context))
            default: throw DomainError(.internalError, "a task act needs its task")
            }
        } catch let error as DomainError {
            return .failure(error)
        } catch {
            return .failure(DomainError(.internalError, "\(error)"))
        }
    }

    // MARK: Acts

    static func create(_ draft: Draft, _ context: Context) throws -> Outcome {
        guard TaskRules.mayCreate(context.facts) else {
            throw DomainError(
                .forbidden, "you are not responsible for \(draft.communeName); its tasks are not yours to create")
        }
        try checkTitle(draft.title)
        try checkDue(draft.due, context)
        var task = WorkTask(
            commune: draft.commune, title: draft.title, description: draft.description, state: .new,
            component: draft.component, due: draft.due, priority: draft.priority, creator: context.login)
        var transition: TaskTransition?
        if let assignee = draft.assignee {
            task.assignee = try worker(assignee, commune: draft.commune).login
            task.state = .assigned
            transition = TaskTransition(
                task: "", from: .new, to: .assigned, by: context.login, at: context.now, reason: nil)
        }
        var change = "created: commune=\(task.commune) title=\(task.title) state=\(task.state.rawValue)"
        if let assignee = task.assignee { change += " assignee=\(assignee)" }
        if let due = task.due { change += " due=\(due)" }
        var details: [EventDetail] = []
        if let assignee = task.assignee { details.append(EventDetail("assignee", assignee)) }
        if let due = task.due { details.append(EventDetail("due", due)) }
        return Outcome(task: task, transition: transition, event: .taskCreated, details: details, change: change)
    }

    static func edit(_ old: WorkTask, _ edit: Edit, _ context: Context) throws -> Outcome {
        try checkRevision(old, context)
        guard old.state.isOpen else {
            throw DomainError(
                .invalidTransition, "task \(old.id) is \(old.state.rawValue) and can no longer change",
                details: [("from", old.state.rawValue)])
        }
        guard TaskRules.mayManage(old, context.facts) else {
            throw DomainError(
                .forbidden, "only the task's creator, the commune's lead, chairs and deputies may edit it")
        }
        if let title = edit.title { try checkTitle(title) }
        try checkDue(edit.due, context)
        var task = old
        task.title = edit.title ?? old.title
        task.description = edit.description ?? old.description
        task.component = edit.component ?? old.component
        task.due = edit.due ?? old.due
        task.priority = edit.priority ?? old.priority
        var changes = ChangeList()
        changes.note("title", old.title, task.title)
        changes.note(
            "description", old.description.map { "(\($0.count) characters)" },
            task.description.map { "(\($0.count) characters)" })
        if old.description != task.description && changes.isEmpty { changes.note("description", "old", "new") }
        changes.note("component", old.component, task.component)
        changes.note("due", old.due, task.due)
        changes.note("priority", old.priority.rawValue, task.priority.rawValue)
        guard !changes.isEmpty || old.description != task.description else {
            throw DomainError(.invalid, "nothing to change")
        }
        // An edit changes no state and raises no event (CLP1.md §8); `taskState` is not sent for it.
        return Outcome(
            task: task, transition: nil, event: .taskState, details: [],
            change: changes.isEmpty ? "description changed" : changes.text)
    }

    static func assign(_ old: WorkTask, _ assignee: Assignee, _ context: Context) throws -> Outcome {
        try checkRevision(old, context)
        guard ![.submitted, .done, .cancelled].contains(old.state) else {
            throw DomainError(
                .invalidTransition, "a \(old.state.rawValue) task cannot be reassigned",
                details: [("from", old.state.rawValue), ("to", "assigned")])
        }
        guard TaskRules.mayManage(old, context.facts) else {
            throw DomainError(
                .forbidden, "only the task's creator, the commune's lead, chairs and deputies may assign it")
        }
        let user = try worker(assignee, commune: old.commune)
        guard user.login != old.assignee else { throw DomainError(.invalid, "\(user.login) is already the assignee") }
        var task = old
        task.assignee = user.login
        var transition: TaskTransition?
        if old.state == .new {
            task.state = .assigned
            transition = TaskTransition(
                task: old.id, from: .new, to: .assigned, by: context.login, at: context.now, reason: nil)
        }
        var changes = ChangeList()
        changes.note("assignee", old.assignee, user.login)
        changes.note("state", old.state.rawValue, task.state.rawValue)
        return Outcome(
            task: task, transition: transition, event: .taskAssigned, details: [EventDetail("assignee", user.login)],
            change: changes.text)
    }

    static func move(_ old: WorkTask, _ to: WorkTask.State, _ reason: String?, _ context: Context) throws -> Outcome {
        try checkRevision(old, context)
        guard let mover = TaskRules.mover(from: old.state, to: to) else {
            throw DomainError(
                .invalidTransition, "a task cannot move from \(old.state.rawValue) to \(to.rawValue)",
                details: [("from", old.state.rawValue), ("to", to.rawValue)])
        }
        guard TaskRules.mayMove(old, to: to, context.facts) else {
            let who: String =
                switch mover {
                case .assignee: "only the assignee (\(old.assignee ?? "none"))"
                case .reviewer: "only the commune's lead member or a chair"
                case .manager: "only the task's creator, the commune's lead, chairs and deputies"
                }
            throw DomainError(.forbidden, "\(who) may move this task to \(to.rawValue)")
        }
        if TaskRules.reasonRequired.contains(to), (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw DomainError(.invalid, "a reason is required to move a task to \(to.rawValue)")
        }
        var task = old
        task.state = to
        task.reason = TaskRules.reasonRequired.contains(to) ? reason : nil
        var changes = ChangeList()
        changes.note("state", old.state.rawValue, to.rawValue)
        if let reason { changes.note("reason", nil, reason) }
        return Outcome(
            task: task,
            transition: TaskTransition(
                task: old.id, from: old.state, to: to, by: context.login, at: context.now, reason: reason),
            event: .taskState, details: [EventDetail("from", old.state.rawValue), EventDetail("to", to.rawValue)],
            change: changes.text)
    }

    static func comment(_ task: WorkTask, _ text: String, _ context: Context) throws -> Outcome {
        guard TaskRules.mayComment(task, context.facts) else {
            throw DomainError(.forbidden, "you may not comment on task \(task.id)")
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DomainError(.invalid, "a comment may not be empty")
        }
        return Outcome(
            task: task, transition: nil, event: .taskCommented, details: [EventDetail("comment", EventDraft.newID)],
            change: "comment added (\(text.count) characters)", comment: text)
    }

    // MARK: Checks

    static func checkRevision(_ task: WorkTask, _ context: Context) throws {
        if let expected = context.expectedRevision, expected != task.revision {
            throw DomainError(
                .conflict, "task \(task.id) changed since revision \(expected)",
                details: [("current", String(task.revision))])
        }
    }

    static func checkTitle(_ title: String) throws {
        if title.trimmingCharacters(in: .whitespaces).isEmpty {
            throw DomainError(.invalid, "the title may not be blank")
        }
    }

    static func checkDue(_ due: String?, _ context: Context) throws {
        if let due, due < context.today { throw DomainError(.invalid, "the due date \(due) is before today") }
    }

    /// An assignee must exist, be active, able to do the work, and have the commune in their scope.
    static func worker(_ assignee: Assignee, commune: String) throws -> User {
        switch assignee {
        case .unknown(let login): throw DomainError(.notFound, "no user \(login)")
        case .user(let user, let covers):
            guard !user.disabled else { throw DomainError(.disabled, "\(user.login)'s account is disabled") }
            guard TaskRules.assignableRoles.contains(user.role) else {
                throw DomainError(.invalid, "\(user.login) has role \(user.role.rawValue) and cannot be given tasks")
            }
            guard covers else {
                throw DomainError(.invalid, "\(user.login)'s scope \(user.scope) does not contain commune \(commune)")
            }
            return user
        }
    }
}
