import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// TASK CREATE, LIST, SHOW, UPDATE, ASSIGN, MOVE, COMMENT (CLP1.md §10.7).
enum TaskCommands {
    static let handlers: [String: CommandHandler] = [
        "TASK CREATE": create, "TASK LIST": list, "TASK SHOW": show, "TASK UPDATE": update, "TASK ASSIGN": assign,
        "TASK MOVE": move, "TASK COMMENT": comment,
    ]

    static func record(_ task: WorkTask, today: String, withDescription: Bool) -> Record {
        var fields = [
            Field("id", task.id), Field("commune", task.commune), Field("title", task.title),
            Field("state", task.state.rawValue),
        ]
        if let reason = task.reason { fields.append(Field("reason", reason)) }
        if let component = task.component { fields.append(Field("component", component)) }
        if let assignee = task.assignee { fields.append(Field("assignee", assignee)) }
        if let due = task.due { fields.append(Field("due", due)) }
        fields += [
            Field("priority", task.priority.rawValue), Field("overdue", task.isOverdue(today: today) ? "yes" : "no"),
            Field("comments", String(task.comments)), Field("creator", task.creator),
            Field("created-at", Timestamp.format(task.createdAt)),
            Field("updated-at", Timestamp.format(task.updatedAt)),
            Field("rev", String(task.revision)),
        ]
        if withDescription, let description = task.description { fields.append(Field("description", description)) }
        return Record("TASK", fields)
    }

    static func commentRecord(_ comment: TaskComment) -> Record {
        Record(
            "COMMENT",
            [
                Field("id", comment.id), Field("task", comment.task), Field("author", comment.author),
                Field("at", Timestamp.format(comment.at)), Field("text", comment.text),
            ])
    }

    /// What TaskRules needs to know about the caller and a commune, read now.
    static func facts(_ env: ServerEnvironment, _ session: SessionState, _ command: Command, commune: String)
        async throws -> TaskRules.Facts
    {
        let user = session.user!
        let today = env.today()
        let active = try await env.store.assignments(commune: commune, login: user.login)
            .filter { $0.state(on: today) == .active }
        return TaskRules.Facts(
            user: user, responsible: !active.isEmpty, lead: active.contains { $0.role == .lead },
            inScope: env.reaches(session, command.name, .unit(UnitRef(stored: commune))))
    }

    /// The task, which must exist and lie in the caller's scope.
    static func target(_ command: Command, _ env: ServerEnvironment, _ session: SessionState) async throws -> WorkTask {
        let id = command.arguments[0]
        guard let task = try await env.store.task(id: id) else { throw DomainError(.notFound, "no task \(id)") }
        try env.requireReach(
            session, command.name, .unit(UnitRef(stored: task.commune)))
        return task
    }

    static func checkTitle(_ title: String?) throws {
        if let title, title.trimmingCharacters(in: .whitespaces).isEmpty {
            throw DomainError(.invalid, "the title may not be blank")
        }
    }

    static func checkDue(_ due: String?, _ env: ServerEnvironment) throws {
        if let due, due < env.today() { throw DomainError(.invalid, "the due date \(due) is before today") }
    }

    /// An assignee must be active, able to do the work, and have the commune in their scope.
    static func assignee(_ login: String, commune: String, _ env: ServerEnvironment) async throws -> User {
        guard let user = try await env.store.user(login: login) else {
            throw DomainError(.notFound, "no user \(login)")
        }
        guard !user.disabled else { throw DomainError(.disabled, "\(login)'s account is disabled") }
        guard TaskRules.assignableRoles.contains(user.role) else {
            throw DomainError(.invalid, "\(login) has role \(user.role.rawValue) and cannot be given tasks")
        }
        guard env.units.scope(user.scope, contains: UnitRef(.current, commune)) else {
            throw DomainError(.invalid, "\(login)'s scope \(user.scope) does not contain commune \(commune)")
        }
        return user
    }

    static func create(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws
        -> Reply
    {
        let claim = Idempotency.claim(command, session)
        let today = env.today()
        if let id = try await Idempotency.earlier(claim, kind: "task", env: env),
            let task = try await env.store.task(id: id)
        {
            return Reply(
                responses: [.record(record(task, today: today, withDescription: true))],
                text: "task \(task.id) was created earlier with this key", code: "REPLAYED")
        }
        let commune = try env.currentUnit(command.arguments[0], levels: [.commune])
        try env.requireReach(session, command.name, .unit(commune.ref))
        let facts = try await facts(env, session, command, commune: commune.ref.code)
        guard TaskRules.mayCreate(facts) else {
            throw DomainError(
                .forbidden, "you are not responsible for \(commune.name); its tasks are not yours to create")
        }
        let title = command[option: "title"]!
        try checkTitle(title)
        try checkDue(command[option: "due"], env)
        let user = session.user!
        var task = WorkTask(
            commune: commune.ref.code, title: title, description: command[option: "description"], state: .new,
            component: command[option: "component"], due: command[option: "due"],
            priority: command[option: "priority"].flatMap(WorkTask.Priority.init(rawValue:)) ?? .normal,
            creator: user.login)
        var transition: TaskTransition?
        if let login = command[option: "assignee"] {
            task.assignee = try await assignee(login, commune: commune.ref.code, env).login
            task.state = .assigned
            transition = TaskTransition(
                task: "", from: .new, to: .assigned, by: user.login, at: env.clock(), reason: nil)
        }
        var change = "created: commune=\(task.commune) title=\(title) state=\(task.state.rawValue)"
        if let assignee = task.assignee { change += " assignee=\(assignee)" }
        if let due = task.due { change += " due=\(due)" }
        var details: [EventDetail] = []
        if let assignee = task.assignee { details.append(EventDetail("assignee", assignee)) }
        if let due = task.due { details.append(EventDetail("due", due)) }
        let created = try await env.store.createTask(
            task, transition: transition, claim: claim,
            audit: AuditEntry(
                actor: session.actor, command: command.name, entity: "task:-", change: change,
                events: [try await env.taskEvent(.taskCreated, task, details)]))
        return .ok("task \(created.id) created", [record(created, today: today, withDescription: true)])
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws -> Reply
    {
        let today = env.today()
        let filter = try env.listFilter(command, session)
        let login = session.user!.login
        let state = command[option: "state"].flatMap(WorkTask.State.init(rawValue:))
        let mine = command[option: "mine"] == "yes"
        let selection = TaskSelection(
            communes: filter.communes, assignee: mine ? login : command[option: "assignee"],
            states: state.map { [$0] } ?? Set(WorkTask.State.allCases.filter(\.isOpen)))
        // Commune, state and assignee are narrowed in SQL; what is left is checked here.
        let found = try await env.store.tasks(selection).filter { task in
            let ref = UnitRef(stored: task.commune)
            return env.reaches(session, command.name, .unit(ref))
                && filter.matches(task.commune, env.units)
                && command[option: "overdue"].map { ($0 == "yes") == task.isOverdue(today: today) } ?? true
                && command[option: "component"].map { task.component == $0 } ?? true
                && command[option: "assignee"].map { task.assignee == $0 } ?? true
                && command[option: "due-before"].map { before in task.due.map { $0 < before } ?? false } ?? true
                && command[option: "due-after"].map { after in task.due.map { $0 > after } ?? false } ?? true
        }
        // Sorted by keys worked out once per task, moving indices: sorting the tasks themselves copied whole
        // records and re-derived overdue on every comparison (perf, 2026-11-26).
        let keys = found.map { task in
            (overdue: task.isOverdue(today: today), due: task.due, number: Int(task.id.dropFirst(2)) ?? 0)
        }
        let ordered = keys.indices.sorted { i, j in
            let (a, b) = (keys[i], keys[j])
            if a.overdue != b.overdue { return a.overdue }
            switch (a.due, b.due) {
            case (let x?, let y?) where x != y: return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.number < b.number
            }
        }.map { found[$0] }
        let records = Paging.page(ordered, command) { record($0, today: today, withDescription: false) }
        return .ok(Paging.summary(records, "tasks"), records)
    }

    static func show(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws -> Reply
    {
        let task = try await target(command, env, session)
        var records = [record(task, today: env.today(), withDescription: true)]
        for transition in try await env.store.transitions(task: task.id) {
            var fields = [
                Field("task", task.id), Field("from", transition.from.rawValue), Field("to", transition.to.rawValue),
                Field("by", transition.by), Field("at", Timestamp.format(transition.at)),
            ]
            if let reason = transition.reason { fields.append(Field("reason", reason)) }
            records.append(Record("TRANSITION", fields))
        }
        records += try await env.store.comments(task: task.id).map(commentRecord)
        return .ok("", records)
    }

    static func requireRevision(_ command: Command, _ task: WorkTask) throws {
        if let expected = command[option: "rev"].flatMap(Int64.init), expected != task.revision {
            throw DomainError(
                .conflict, "task \(task.id) changed since revision \(expected)",
                details: [("current", String(task.revision))])
        }
    }

    static func update(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws
        -> Reply
    {
        let old = try await target(command, env, session)
        try requireRevision(command, old)
        guard old.state.isOpen else {
            throw DomainError(
                .invalidTransition, "task \(old.id) is \(old.state.rawValue) and can no longer change",
                details: [("from", old.state.rawValue)])
        }
        let facts = try await facts(env, session, command, commune: old.commune)
        guard TaskRules.mayManage(old, facts) else {
            throw DomainError(
                .forbidden, "only the task's creator, the commune's lead, chairs and deputies may edit it")
        }
        var task = old
        try checkTitle(command[option: "title"])
        try checkDue(command[option: "due"], env)
        task.title = command[option: "title"] ?? old.title
        task.description = command[option: "description"] ?? old.description
        task.component = command[option: "component"] ?? old.component
        task.due = command[option: "due"] ?? old.due
        task.priority = command[option: "priority"].flatMap(WorkTask.Priority.init(rawValue:)) ?? old.priority
        var changes = ChangeList()
        changes.note("title", old.title, task.title)
        changes.note(
            "description", old.description.map { _ in "(\(old.description!.count) characters)" },
            task.description.map { _ in "(\(task.description!.count) characters)" })
        if old.description != task.description && changes.isEmpty { changes.note("description", "old", "new") }
        changes.note("component", old.component, task.component)
        changes.note("due", old.due, task.due)
        changes.note("priority", old.priority.rawValue, task.priority.rawValue)
        guard !changes.isEmpty || old.description != task.description else {
            throw DomainError(.invalid, "nothing to change")
        }
        let saved = try await env.store.saveTask(
            task, expectedRevision: old.revision, transition: nil,
            audit: AuditEntry(
                actor: session.actor, command: command.name, entity: "task:\(old.id)",
                change: changes.isEmpty ? "description changed" : changes.text))
        return .ok("task \(saved.id) updated", [record(saved, today: env.today(), withDescription: true)])
    }

    static func assign(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws
        -> Reply
    {
        let old = try await target(command, env, session)
        try requireRevision(command, old)
        guard ![.submitted, .done, .cancelled].contains(old.state) else {
            throw DomainError(
                .invalidTransition, "a \(old.state.rawValue) task cannot be reassigned",
                details: [("from", old.state.rawValue), ("to", "assigned")])
        }
        let facts = try await facts(env, session, command, commune: old.commune)
        guard TaskRules.mayManage(old, facts) else {
            throw DomainError(
                .forbidden, "only the task's creator, the commune's lead, chairs and deputies may assign it")
        }
        let user = try await assignee(command.arguments[1], commune: old.commune, env)
        guard user.login != old.assignee else { throw DomainError(.invalid, "\(user.login) is already the assignee") }
        var task = old
        task.assignee = user.login
        var transition: TaskTransition?
        if old.state == .new {
            task.state = .assigned
            transition = TaskTransition(
                task: old.id, from: .new, to: .assigned, by: session.user!.login, at: env.clock(), reason: nil)
        }
        var changes = ChangeList()
        changes.note("assignee", old.assignee, user.login)
        changes.note("state", old.state.rawValue, task.state.rawValue)
        let saved = try await env.store.saveTask(
            task, expectedRevision: old.revision, transition: transition,
            audit: AuditEntry(
                actor: session.actor, command: command.name, entity: "task:\(old.id)", change: changes.text,
                events: [try await env.taskEvent(.taskAssigned, task, [EventDetail("assignee", user.login)])]))
        return .ok(
            "task \(saved.id) assigned to \(user.login)", [record(saved, today: env.today(), withDescription: false)])
    }

    static func move(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws -> Reply
    {
        let old = try await target(command, env, session)
        try requireRevision(command, old)
        guard let to = WorkTask.State(rawValue: command.arguments[1]) else {
            throw DomainError(.invalid, "unknown state \(command.arguments[1])")
        }
        guard TaskRules.mover(from: old.state, to: to) != nil else {
            throw DomainError(
                .invalidTransition, "a task cannot move from \(old.state.rawValue) to \(to.rawValue)",
                details: [("from", old.state.rawValue), ("to", to.rawValue)])
        }
        let facts = try await facts(env, session, command, commune: old.commune)
        guard TaskRules.mayMove(old, to: to, facts) else {
            let who: String =
                switch TaskRules.mover(from: old.state, to: to)! {
                case .assignee: "only the assignee (\(old.assignee ?? "none"))"
                case .reviewer: "only the commune's lead member or a chair"
                case .manager: "only the task's creator, the commune's lead, chairs and deputies"
                }
            throw DomainError(.forbidden, "\(who) may move this task to \(to.rawValue)")
        }
        let reason = command[option: "reason"]
        if TaskRules.reasonRequired.contains(to), (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw DomainError(.invalid, "a reason is required to move a task to \(to.rawValue)")
        }
        var task = old
        task.state = to
        task.reason = TaskRules.reasonRequired.contains(to) ? reason : nil
        var changes = ChangeList()
        changes.note("state", old.state.rawValue, to.rawValue)
        if let reason { changes.note("reason", nil, reason) }
        let saved = try await env.store.saveTask(
            task, expectedRevision: old.revision,
            transition: TaskTransition(
                task: old.id, from: old.state, to: to, by: session.user!.login, at: env.clock(), reason: reason),
            audit: AuditEntry(
                actor: session.actor, command: command.name, entity: "task:\(old.id)", change: changes.text,
                events: [
                    try await env.taskEvent(
                        .taskState, task, [EventDetail("from", old.state.rawValue), EventDetail("to", to.rawValue)])
                ]))
        return .ok(
            "task \(saved.id) is now \(to.rawValue)", [record(saved, today: env.today(), withDescription: false)])
    }

    static func comment(_ env: ServerEnvironment, _ session: inout SessionState, _ command: Command) async throws
        -> Reply
    {
        let claim = Idempotency.claim(command, session)
        if let id = try await Idempotency.earlier(claim, kind: "comment", env: env),
            let comment = try await env.store.comment(id: id)
        {
            return Reply(
                responses: [.record(commentRecord(comment))],
                text: "comment \(comment.id) was added earlier with this key", code: "REPLAYED")
        }
        let task = try await target(command, env, session)
        let facts = try await facts(env, session, command, commune: task.commune)
        guard TaskRules.mayComment(task, facts) else {
            throw DomainError(.forbidden, "you may not comment on task \(task.id)")
        }
        let text = command.arguments[1]
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DomainError(.invalid, "a comment may not be empty")
        }
        let comment = try await env.store.addComment(
            task: task.id, author: session.user!.login, text: text, claim: claim,
            audit: AuditEntry(
                actor: session.actor, command: command.name, entity: "task:\(task.id)",
                change: "comment added (\(text.count) characters)",
                events: [
                    try await env.taskEvent(.taskCommented, task, [EventDetail("comment", EventDraft.newID)])
                ]))
        return .ok("comment \(comment.id) added to \(task.id)", [commentRecord(comment)])
    }
}
