import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// TASK CREATE, LIST, SHOW, UPDATE, ASSIGN, MOVE, COMMENT (CLP1.md §10.7).
enum TaskCommands {
    static let commune = Param.unit("commune").required
    static let title = Param.text("title", max: 200)
    static let component = Param<ProgrammeComponent>.choice("component")
    static let assignee = Param.id("assignee")
    static let due = Param.date("due")
    static let priority = Param<WorkTask.Priority>.choice("priority")
    static let mine = Param.boolean("mine")
    static let state = Param<WorkTask.State>.choice("state")
    static let overdue = Param.boolean("overdue")
    static let dueBefore = Param.date("due-before")
    static let dueAfter = Param.date("due-after")
    static let user = Param.id("user").required
    /// The states a task can be moved to: `new` and `assigned` are reached by creating and assigning.
    static let target = Param<WorkTask.State>.choice("state", Array(WorkTask.State.allCases.dropFirst(2))).required
    static let text = Param.text("text", max: 1_000_000).required
    static let managers =
        "the task's managers (its creator; the commune's lead member; chairs and deputies whose scope contains the commune)."

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "TASK CREATE", group: .tasks, summary: "Open a task in a commune.", positionals: [commune],
            options: [title.required, Common.description, component, assignee, due, priority, Common.key],
            access: .roles(Common.deciders),
            who:
                "task creators (chairs and deputies whose scope contains the commune; officers responsible for it; staff whose scope is the commune).",
            handler: create),
        CommandDefinition(
            "TASK LIST", group: .tasks, summary: "List tasks with filters; overdue ones first.",
            options: [
                mine, Common.commune, Common.province, Common.district, state, overdue, component, assignee, dueBefore,
                dueAfter,
                Common.limit, Common.offset,
            ], access: .authenticated,
            who: "every role; the list holds only tasks whose commune the caller's scope contains.", handler: list),
        CommandDefinition(
            "TASK SHOW", group: .tasks, summary: "Show a task with its comments and history.",
            positionals: [Common.id], access: .authenticated,
            who: "every role, for a task whose commune the caller's scope contains.", handler: show),
        CommandDefinition(
            "TASK UPDATE", group: .tasks,
            summary: "Change a task's title, description, component, due date or priority.", positionals: [Common.id],
            options: [title, Common.description, component, due, priority, Common.requiredRev],
            access: .roles(Common.deciders), who: managers, handler: update),
        CommandDefinition(
            "TASK ASSIGN", group: .tasks, summary: "Give a task to a user.", positionals: [Common.id, user],
            options: [Common.rev], access: .roles(Common.deciders), who: "the task's managers.", handler: assign),
        CommandDefinition(
            "TASK MOVE", group: .tasks, summary: "Move a task to another state (start, block, submit, finish …).",
            positionals: [Common.id, target], options: [Common.reason, Common.rev], access: .roles(Common.deciders),
            who: "as the table at the top of §10.7 says for each move.", handler: move),
        CommandDefinition(
            "TASK COMMENT", group: .tasks, summary: "Add a comment to a task.", positionals: [Common.id, text],
            options: [Common.key], access: .roles(Common.deciders),
            who:
                "chairs and deputies whose scope contains the commune; officers responsible for the commune; staff whose scope is the commune; the task's assignee and creator. Auditors and admins may not comment.",
            handler: comment),
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
        if let mark = task.imported { fields += mark.fields }
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
    static func facts(_ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput, commune: String)
        async throws -> TaskRules.Facts
    {
        let user = try session.requireUser()
        let today = env.today()
        let active = try await env.store.assignments(commune: commune, login: user.login)
            .filter { $0.state(on: today) == .active }
        return TaskRules.Facts(
            user: user, responsible: !active.isEmpty, lead: active.contains { $0.role == .lead },
            inScope: env.reaches(session, input.name, .unit(UnitRef(stored: commune))))
    }

    /// The task, which must exist and lie in the caller's scope.
    static func target(_ input: CommandInput, _ env: ServerEnvironment, _ session: SessionState) async throws
        -> WorkTask
    {
        let id = try input[Common.id]
        guard let task = try await env.store.task(id: id) else { throw DomainError(.notFound, "no task \(id)") }
        try env.requireReach(
            session, input.name, .unit(UnitRef(stored: task.placement)))
        return task
    }

    /// The user a request names to do the work, as the store has them (the machine judges them).
    static func lookup(_ login: String, commune: String, _ env: ServerEnvironment) async throws
        -> TaskLifecycle.Assignee
    {
        guard let user = try await env.store.user(login: login) else { return .unknown(login: login) }
        return .user(user, coversCommune: env.units.scope(user.scope, contains: UnitRef(.current, commune)))
    }

    /// What the task machine needs to know about the act's moment and its actor.
    static func context(
        _ env: ServerEnvironment, _ session: SessionState, _ input: CommandInput, commune: String
    ) async throws -> TaskLifecycle.Context {
        TaskLifecycle.Context(
            facts: try await facts(env, session, input, commune: commune), today: env.today(), now: env.clock(),
            expectedRevision: input[Common.rev])
    }

    /// Stores what the machine decided about an existing task, with its audit record and event.
    static func save(
        _ outcome: TaskLifecycle.Outcome, was old: WorkTask, raises: Bool, _ env: ServerEnvironment,
        _ session: SessionState, _ input: CommandInput
    ) async throws -> WorkTask {
        try await env.store.saveTask(
            outcome.task, expectedRevision: old.revision, transition: outcome.transition,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "task:\(old.id)", change: outcome.change,
                events: raises ? [try await env.taskEvent(outcome.event, outcome.task, outcome.details)] : []))
    }

    static func create(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let claim = Idempotency.claim(input, session)
        let today = env.today()
        if let id = try await Idempotency.earlier(claim, kind: "task", env: env),
            let task = try await env.store.task(id: id)
        {
            return Reply(
                responses: [.record(record(task, today: today, withDescription: true))],
                text: "task \(task.id) was created earlier with this key", code: "REPLAYED")
        }
        let commune = try env.currentUnit(try input[commune], levels: [.commune])
        try env.requireReach(session, input.name, .unit(commune.ref))
        let draft = TaskLifecycle.Draft(
            commune: commune.ref.code, communeName: commune.name, title: try input[title.required],
            description: input[Common.description], component: input[component]?.rawValue, due: input[due],
            priority: input[priority] ?? .normal,
            assignee: try await input[assignee].asyncMap { try await lookup($0, commune: commune.ref.code, env) })
        let context = try await context(env, session, input, commune: commune.ref.code)
        let outcome = try TaskLifecycle.apply(.create(draft), to: nil, context).get()
        let created = try await env.store.createTask(
            outcome.task, transition: outcome.transition, claim: claim,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "task:-", change: outcome.change,
                events: [try await env.taskEvent(outcome.event, outcome.task, outcome.details)]))
        return .ok("task \(created.id) created", [record(created, today: today, withDescription: true)])
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let today = env.today()
        let filter = try env.listFilter(input, session)
        let login = try session.requireUser().login
        let state = input[state]
        let mine = input[mine] == true
        let selection = TaskSelection(
            communes: filter.communes, assignee: mine ? login : input[assignee],
            states: state.map { [$0] } ?? Set(WorkTask.State.allCases.filter(\.isOpen)))
        // Commune, state and assignee are narrowed in SQL; what is left is checked here.
        let found = try await env.store.tasks(selection).filter { task in
            let ref = UnitRef(stored: task.placement)
            return env.reaches(session, input.name, .unit(ref))
                && filter.matches(task.placement, env.units) && filter.counts(placement: task.placement, env.units)
                && input[overdue].map { $0 == task.isOverdue(today: today) } ?? true
                && input[component].map { task.component == $0.rawValue } ?? true
                && input[assignee].map { task.assignee == $0 } ?? true
                && input[dueBefore].map { before in task.due.map { $0 < before } ?? false } ?? true
                && input[dueAfter].map { after in task.due.map { $0 > after } ?? false } ?? true
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
        let records = Paging.page(ordered, input) { record($0, today: today, withDescription: false) }
        return .ok(Paging.summary(records, "tasks"), records)
    }

    static func show(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let task = try await target(input, env, session)
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

    static func update(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let old = try await target(input, env, session)
        let edit = TaskLifecycle.Edit(
            title: input[title], description: input[Common.description], component: input[component]?.rawValue,
            due: input[due], priority: input[priority])
        let context = try await context(env, session, input, commune: old.placement)
        let outcome = try TaskLifecycle.apply(.edit(edit), to: old, context).get()
        let saved = try await save(outcome, was: old, raises: false, env, session, input)
        return .ok("task \(saved.id) updated", [record(saved, today: env.today(), withDescription: true)])
    }

    static func assign(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let old = try await target(input, env, session)
        let assignee = try await lookup(try input[user], commune: old.commune, env)
        let context = try await context(env, session, input, commune: old.placement)
        let outcome = try TaskLifecycle.apply(.assign(assignee), to: old, context).get()
        let saved = try await save(outcome, was: old, raises: true, env, session, input)
        return .ok(
            "task \(saved.id) assigned to \(saved.assignee ?? "-")",
            [record(saved, today: env.today(), withDescription: false)])
    }

    static func move(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let old = try await target(input, env, session)
        let context = try await context(env, session, input, commune: old.placement)
        let to = try input[target]
        let outcome = try TaskLifecycle.apply(.move(to: to, reason: input[Common.reason]), to: old, context).get()
        let saved = try await save(outcome, was: old, raises: true, env, session, input)
        return .ok(
            "task \(saved.id) is now \(to.rawValue)", [record(saved, today: env.today(), withDescription: false)])
    }

    static func comment(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let claim = Idempotency.claim(input, session)
        if let id = try await Idempotency.earlier(claim, kind: "comment", env: env),
            let comment = try await env.store.comment(id: id)
        {
            return Reply(
                responses: [.record(commentRecord(comment))],
                text: "comment \(comment.id) was added earlier with this key", code: "REPLAYED")
        }
        let task = try await target(input, env, session)
        let context = try await context(env, session, input, commune: task.placement)
        let outcome = try TaskLifecycle.apply(.comment(text: try input[text]), to: task, context).get()
        let comment = try await env.store.addComment(
            task: task.id, author: context.facts.user.login, text: outcome.comment ?? "", claim: claim,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "task:\(task.id)", change: outcome.change,
                events: [try await env.taskEvent(outcome.event, task, outcome.details)]))
        return .ok("comment \(comment.id) added to \(task.id)", [commentRecord(comment)])
    }
}
