/// Every command of CLP/1 version 1. The dispatcher, `HELP`, the client's completion and `Protocol/CLP1.md`
/// all follow this table; a test checks that the specification documents each entry.
public struct CommandTable: Sendable {
    public let commands: [CommandSpec]
    private let byName: [String: CommandSpec]
    /// Verbs that take a subcommand (`TASK`, `USER` …), with their subcommands in table order.
    public let families: [String: [String]]

    public init(_ commands: [CommandSpec]) {
        self.commands = commands
        var byName: [String: CommandSpec] = [:]
        var families: [String: [String]] = [:]
        for command in commands {
            precondition(byName[command.name] == nil, "duplicate command \(command.name)")
            byName[command.name] = command
            let words = command.name.split(separator: " ")
            if words.count == 2 { families[String(words[0]), default: []].append(String(words[1])) }
        }
        self.byName = byName
        self.families = families
    }

    public subscript(name: String) -> CommandSpec? { byName[name] }

    /// The first word of every command, sorted: what a client completes at the start of a line.
    public var verbs: [String] {
        Array(Set(commands.map { String($0.name.split(separator: " ")[0]) })).sorted()
    }

    public static let v1 = CommandTable(
        SessionCommands.all + UserCommands.all + UnitCommands.all + OrganisationCommands.all
            + TaskCommands.all + HouseholdCommands.all + CaseCommands.all + EventCommands.all)
}

typealias P = CommandSpec.Parameter

/// Shared parameter shapes, so that the same option means the same thing on every command.
enum Common {
    static let key = P("key", .identifier)
    static let rev = P("rev", .integer(1...Int64.max))
    static let requiredRev = P("rev", .integer(1...Int64.max), required: true)
    static let limit = P("limit", .integer(1...1000))
    static let offset = P("offset", .integer(0...Int64(Int32.max)))
    static let reason = P("reason", .text(maxCharacters: 2000))
    static let requiredReason = P("reason", .text(maxCharacters: 2000), required: true)
    static let decision = P("decision", .text(maxCharacters: 64), required: true)
    static let province = P("province", .unit)
    static let commune = P("commune", .unit)
    static let edition = P("edition", .choice(["2025", "legacy"]))
    static let unitTypes = ["province", "city", "district", "town", "commune", "ward", "township", "special-zone"]
    static let caseKinds = [
        "housing-new", "housing-repair", "livelihood", "health-insurance", "vocational", "review-result",
        "exit-poverty", "inspection",
    ]
    static let caseStates = ["draft", "submitted", "approved", "rejected", "returned"]
    static let taskStates = ["new", "assigned", "inprogress", "blocked", "submitted", "done", "returned", "cancelled"]
    static let components = ["1", "2", "3.1", "3.2", "4.1", "4.2", "4.3", "5", "6", "7", "other"]
    static let priorities = ["low", "normal", "high", "urgent"]
    static let longText = P("description", .text(maxCharacters: 1_000_000))
}

enum SessionCommands {
    static let all: [CommandSpec] = [
        CommandSpec(
            "HELLO", group: .session, summary: "Negotiate the protocol version and learn the server's capabilities.",
            positionals: [P("version", .integer(0...9999), required: true)],
            options: [P("client", .text(maxCharacters: 64))], allowedBeforeLogin: true),
        CommandSpec(
            "LOGIN", group: .session, summary: "Authenticate with a user name and password.",
            positionals: [
                P("user", .identifier, required: true),
                P("password", .text(maxCharacters: 256), required: true, secret: true),
            ], allowedBeforeLogin: true),
        CommandSpec(
            "AUTH", group: .session, summary: "Authenticate with an API token.",
            positionals: [P("token", .text(maxCharacters: 256), required: true, secret: true)],
            allowedBeforeLogin: true),
        CommandSpec(
            "LOGOUT", group: .session, summary: "End the session and close the connection.",
            allowedBeforeLogin: true),
        CommandSpec(
            "PING", group: .session, summary: "Check that the server answers; echoes the optional text.",
            positionals: [P("text", .text(maxCharacters: 256))], allowedBeforeLogin: true),
        CommandSpec("WHOAMI", group: .session, summary: "Show the session's user, role, scope and limits."),
        CommandSpec(
            "HELP", group: .session, summary: "List the commands, or show one command's syntax.",
            positionals: [P("verb", .identifier), P("subcommand", .identifier)], options: [P("params", .boolean)],
            allowedBeforeLogin: true),
        CommandSpec(
            "PASSWORD", group: .session, summary: "Change your own password.",
            positionals: [
                P("old", .text(maxCharacters: 256), required: true, secret: true),
                P("new", .text(maxCharacters: 256), required: true, secret: true),
            ], allowedBeforeLogin: false),
    ]
}

enum UserCommands {
    static let role = P("role", .choice(ValueKind.roles))
    static let all: [CommandSpec] = [
        CommandSpec(
            "USER CREATE", group: .users, summary: "Create a user; prints a one-time password.",
            positionals: [P("login", .identifier, required: true)],
            options: [
                P("name", .text(maxCharacters: 100), required: true),
                P("role", .choice(ValueKind.roles), required: true),
                P("scope", .scope), P("email", .text(maxCharacters: 254)), P("phone", .text(maxCharacters: 32)),
                Common.key,
            ]),
        CommandSpec(
            "USER LIST", group: .users, summary: "List users, filtered by role, scope, status or name.",
            options: [
                role, P("scope", .scope), P("status", .choice(["active", "disabled", "locked"])),
                P("q", .text(maxCharacters: 100)), Common.limit, Common.offset,
            ]),
        CommandSpec(
            "USER SHOW", group: .users, summary: "Show one user with committee seats and assignments.",
            positionals: [P("login", .identifier, required: true)]),
        CommandSpec(
            "USER UPDATE", group: .users, summary: "Change a user's name, role, scope, contact or certificate.",
            positionals: [P("login", .identifier, required: true)],
            options: [
                P("name", .text(maxCharacters: 100)), role, P("scope", .scope), P("email", .text(maxCharacters: 254)),
                P("phone", .text(maxCharacters: 32)), P("cert", .fingerprint), Common.rev,
            ]),
        CommandSpec(
            "USER DISABLE", group: .users, summary: "Disable an account; its sessions and tokens stop working.",
            positionals: [P("login", .identifier, required: true)], options: [Common.reason, Common.rev]),
        CommandSpec(
            "USER ENABLE", group: .users, summary: "Enable a disabled account.",
            positionals: [P("login", .identifier, required: true)], options: [Common.rev]),
        CommandSpec(
            "USER UNLOCK", group: .users, summary: "Unlock an account locked by failed logins.",
            positionals: [P("login", .identifier, required: true)]),
        CommandSpec(
            "USER RESET-PASSWORD", group: .users,
            summary: "Give a user a new one-time password that must be changed at next login.",
            positionals: [P("login", .identifier, required: true)]),
        CommandSpec(
            "TOKEN CREATE", group: .tokens, summary: "Create an API token for your own account; shown once.",
            positionals: [P("label", .text(maxCharacters: 64), required: true)],
            options: [P("expires", .date), Common.key]),
        CommandSpec(
            "TOKEN LIST", group: .tokens, summary: "List API tokens (yours, or a user's for admins).",
            options: [P("user", .identifier)]),
        CommandSpec(
            "TOKEN REVOKE", group: .tokens, summary: "Revoke an API token; sessions using it end.",
            positionals: [P("id", .identifier, required: true)]),
    ]
}

enum UnitCommands {
    static let type = P("type", .choice(Common.unitTypes))
    static let all: [CommandSpec] = [
        CommandSpec(
            "UNIT LIST", group: .units, summary: "List administrative units, filtered by province, edition, type.",
            options: [Common.province, Common.edition, type, Common.limit, Common.offset]),
        CommandSpec(
            "UNIT SEARCH", group: .units, summary: "Find units by name, ignoring diacritics and case.",
            positionals: [P("text", .text(maxCharacters: 100), required: true)],
            options: [Common.province, Common.edition, type, Common.limit]),
        CommandSpec(
            "UNIT SHOW", group: .units,
            summary: "Show a unit with its parent, lineage, responsible members and open work.",
            positionals: [P("unit", .unit, required: true)]),
    ]
}

enum OrganisationCommands {
    static let all: [CommandSpec] = [
        CommandSpec(
            "COMMITTEE CREATE", group: .committees, summary: "Set up a steering committee for a province or commune.",
            positionals: [P("unit", .unit, required: true)],
            options: [
                P("name", .text(maxCharacters: 200), required: true), Common.decision,
                P("decided", .date, required: true), Common.key,
            ]),
        CommandSpec(
            "COMMITTEE LIST", group: .committees, summary: "List steering committees.",
            options: [P("unit", .unit), Common.province, Common.limit, Common.offset]),
        CommandSpec(
            "COMMITTEE SHOW", group: .committees, summary: "Show a committee and its members.",
            positionals: [P("id", .identifier, required: true)]),
        CommandSpec(
            "COMMITTEE UPDATE", group: .committees, summary: "Change a committee's name or founding decision.",
            positionals: [P("id", .identifier, required: true)],
            options: [
                P("name", .text(maxCharacters: 200)), P("decision", .text(maxCharacters: 64)), P("decided", .date),
                Common.requiredRev,
            ]),
        CommandSpec(
            "COMMITTEE ADD-MEMBER", group: .committees, summary: "Seat a user on a committee with a position.",
            positionals: [P("id", .identifier, required: true), P("user", .identifier, required: true)],
            options: [
                P("position", .choice(["chair", "deputy", "standing", "member"]), required: true), P("since", .date),
                Common.rev,
            ]),
        CommandSpec(
            "COMMITTEE REMOVE-MEMBER", group: .committees, summary: "Remove a member from a committee.",
            positionals: [P("id", .identifier, required: true), P("user", .identifier, required: true)],
            options: [Common.rev]),
        CommandSpec(
            "ASSIGNMENT CREATE", group: .assignments,
            summary: "Make a member responsible for a commune, as lead or support.",
            positionals: [P("commune", .unit, required: true), P("user", .identifier, required: true)],
            options: [
                P("role", .choice(["lead", "support"]), required: true), P("from", .date, required: true),
                Common.decision, P("committee", .identifier), Common.key,
            ]),
        CommandSpec(
            "ASSIGNMENT END", group: .assignments, summary: "End an assignment.",
            positionals: [P("id", .identifier, required: true)],
            options: [P("on", .date), Common.reason, Common.rev]),
        CommandSpec(
            "ASSIGNMENT REASSIGN", group: .assignments,
            summary: "Hand a commune's lead to another member, atomically.",
            positionals: [P("commune", .unit, required: true), P("user", .identifier, required: true)],
            options: [P("from", .date, required: true), Common.decision, Common.reason, Common.key]),
        CommandSpec(
            "ASSIGNMENT LIST", group: .assignments, summary: "Assignment history, by commune, member or province.",
            options: [
                Common.commune, P("user", .identifier), Common.province, P("active", .boolean), Common.limit,
                Common.offset,
            ]),
        CommandSpec("ASSIGNMENT MINE", group: .assignments, summary: "The communes you are responsible for."),
        CommandSpec(
            "ASSIGNMENT VACANT", group: .assignments, summary: "Communes in your scope with no active lead.",
            options: [Common.province, Common.limit, Common.offset]),
    ]
}

enum TaskCommands {
    static let all: [CommandSpec] = [
        CommandSpec(
            "TASK CREATE", group: .tasks, summary: "Open a task in a commune.",
            positionals: [P("commune", .unit, required: true)],
            options: [
                P("title", .text(maxCharacters: 200), required: true), Common.longText,
                P("component", .choice(Common.components)), P("assignee", .identifier), P("due", .date),
                P("priority", .choice(Common.priorities)), Common.key,
            ]),
        CommandSpec(
            "TASK LIST", group: .tasks, summary: "List tasks with filters; overdue ones first.",
            options: [
                P("mine", .boolean), Common.commune, Common.province, P("state", .choice(Common.taskStates)),
                P("overdue", .boolean), P("component", .choice(Common.components)), P("assignee", .identifier),
                P("due-before", .date), P("due-after", .date), Common.limit, Common.offset,
            ]),
        CommandSpec(
            "TASK SHOW", group: .tasks, summary: "Show a task with its comments and history.",
            positionals: [P("id", .identifier, required: true)]),
        CommandSpec(
            "TASK UPDATE", group: .tasks,
            summary: "Change a task's title, description, component, due date or priority.",
            positionals: [P("id", .identifier, required: true)],
            options: [
                P("title", .text(maxCharacters: 200)), Common.longText, P("component", .choice(Common.components)),
                P("due", .date), P("priority", .choice(Common.priorities)), Common.requiredRev,
            ]),
        CommandSpec(
            "TASK ASSIGN", group: .tasks, summary: "Give a task to a user.",
            positionals: [P("id", .identifier, required: true), P("user", .identifier, required: true)],
            options: [Common.rev]),
        CommandSpec(
            "TASK MOVE", group: .tasks, summary: "Move a task to another state (start, block, submit, finish …).",
            positionals: [
                P("id", .identifier, required: true),
                P("state", .choice(Array(Common.taskStates.dropFirst(2))), required: true),
            ],
            options: [Common.reason, Common.rev]),
        CommandSpec(
            "TASK COMMENT", group: .tasks, summary: "Add a comment to a task.",
            positionals: [
                P("id", .identifier, required: true), P("text", .text(maxCharacters: 1_000_000), required: true),
            ],
            options: [Common.key]),
    ]
}

enum HouseholdCommands {
    static let indicators = [
        "employment", "dependants", "nutrition", "health-insurance", "adult-education", "school-attendance",
        "housing-quality", "housing-area", "drinking-water", "latrine", "telecom", "information-access",
    ]
    static let gender = P("gender", .choice(["male", "female"]))
    static let all: [CommandSpec] = [
        CommandSpec(
            "HOUSEHOLD CREATE", group: .households, summary: "Record a household in a commune.",
            positionals: [P("commune", .unit, required: true)],
            options: [
                P("head", .text(maxCharacters: 100), required: true),
                P("gender", .choice(["male", "female"]), required: true),
                P("birth", .date, required: true), P("ethnicity", .text(maxCharacters: 50)),
                P("id-number", .identifier), P("village", .text(maxCharacters: 100), required: true),
                P("area", .choice(["rural", "urban"]), required: true), Common.key,
            ]),
        CommandSpec(
            "HOUSEHOLD LIST", group: .households, summary: "List households with their latest classification.",
            options: [
                Common.commune, Common.province, P("village", .text(maxCharacters: 100)),
                P("q", .text(maxCharacters: 100)), P("class", .choice(["poor", "near-poor", "escaped", "average"])),
                P("year", .integer(2000...2100)), Common.limit, Common.offset,
            ]),
        CommandSpec(
            "HOUSEHOLD SHOW", group: .households, summary: "Show a household with members and assessments.",
            positionals: [P("id", .identifier, required: true)]),
        CommandSpec(
            "HOUSEHOLD UPDATE", group: .households, summary: "Correct a household's head or address details.",
            positionals: [P("id", .identifier, required: true)],
            options: [
                P("head", .text(maxCharacters: 100)), gender, P("birth", .date),
                P("ethnicity", .text(maxCharacters: 50)),
                P("id-number", .identifier), P("village", .text(maxCharacters: 100)),
                P("area", .choice(["rural", "urban"])), Common.requiredRev,
            ]),
        CommandSpec(
            "HOUSEHOLD ADD-MEMBER", group: .households, summary: "Add a member to a household.",
            positionals: [P("id", .identifier, required: true)],
            options: [
                P("name", .text(maxCharacters: 100), required: true),
                P("gender", .choice(["male", "female"]), required: true),
                P("birth", .date, required: true), P("relation", .text(maxCharacters: 50), required: true), Common.rev,
                Common.key,
            ]),
        CommandSpec(
            "HOUSEHOLD REMOVE-MEMBER", group: .households, summary: "Remove a member from a household.",
            positionals: [P("id", .identifier, required: true), P("member", .identifier, required: true)],
            options: [Common.reason, Common.rev]),
        CommandSpec(
            "HOUSEHOLD ASSESS", group: .households,
            summary: "Record a year's assessment; the classification is computed by the standard's rule.",
            positionals: [P("id", .identifier, required: true)],
            options: [
                P("year", .integer(2000...2100), required: true), P("income", .amount, required: true),
                P("deprived", .list(.choice(indicators), maxItems: 12)), P("standard", .choice(["2022-2025"])),
                Common.rev,
            ]),
    ]
}

enum CaseCommands {
    static let all: [CommandSpec] = [
        CommandSpec(
            "CASE CREATE", group: .cases, summary: "Open a case (a draft) that will need approval.",
            positionals: [P("kind", .choice(Common.caseKinds), required: true), P("commune", .unit, required: true)],
            options: [
                P("title", .text(maxCharacters: 200), required: true), P("amount", .amount), P("funding", .funding),
                P("households", .list(.identifier, maxItems: 500)),
                P("documents", .list(.text(maxCharacters: 64), maxItems: 50)), Common.longText, Common.key,
            ]),
        CommandSpec(
            "CASE LIST", group: .cases, summary: "List cases with filters.",
            options: [
                P("state", .choice(Common.caseStates)), P("kind", .choice(Common.caseKinds)), Common.commune,
                Common.province, P("mine", .boolean), Common.limit, Common.offset,
            ]),
        CommandSpec(
            "CASE SHOW", group: .cases, summary: "Show a case with its approval chain and decisions.",
            positionals: [P("id", .identifier, required: true)]),
        CommandSpec(
            "CASE UPDATE", group: .cases, summary: "Change a draft or returned case.",
            positionals: [P("id", .identifier, required: true)],
            options: [
                P("title", .text(maxCharacters: 200)), P("amount", .amount), P("funding", .funding),
                P("households", .list(.identifier, maxItems: 500)),
                P("documents", .list(.text(maxCharacters: 64), maxItems: 50)),
                Common.longText, Common.requiredRev,
            ]),
        CommandSpec(
            "CASE SUBMIT", group: .cases, summary: "Submit a case for approval; the chain starts at step 1.",
            positionals: [P("id", .identifier, required: true)], options: [Common.rev]),
        CommandSpec(
            "CASE APPROVE", group: .approvals, summary: "Approve the current step of a case.",
            positionals: [P("id", .identifier, required: true)],
            options: [P("note", .text(maxCharacters: 2000)), Common.rev]),
        CommandSpec(
            "CASE REJECT", group: .approvals, summary: "Reject a case at the current step; a reason is required.",
            positionals: [P("id", .identifier, required: true)], options: [Common.requiredReason, Common.rev]),
        CommandSpec(
            "CASE RETURN", group: .approvals, summary: "Return a case for revision; a reason is required.",
            positionals: [P("id", .identifier, required: true)], options: [Common.requiredReason, Common.rev]),
        CommandSpec(
            "PENDING", group: .approvals, summary: "Cases waiting for your decision, oldest first.",
            options: [Common.commune, P("kind", .choice(Common.caseKinds)), Common.limit]),
        CommandSpec("CHAIN LIST", group: .approvals, summary: "The configured approval chain of every case kind."),
        CommandSpec(
            "CHAIN SHOW", group: .approvals, summary: "One case kind's approval chain.",
            positionals: [P("kind", .choice(Common.caseKinds), required: true)]),
        CommandSpec(
            "CHAIN SET", group: .approvals, summary: "Configure a case kind's approval chain (new cases only).",
            positionals: [P("kind", .choice(Common.caseKinds), required: true)],
            options: [P("steps", .chain, required: true), Common.rev]),
        CommandSpec(
            "DELEGATION CREATE", group: .approvals,
            summary: "Let another user decide in your place for a date window.",
            positionals: [P("user", .identifier, required: true)],
            options: [
                P("from", .date, required: true), P("until", .date, required: true),
                P("note", .text(maxCharacters: 500)), Common.key,
            ]),
        CommandSpec(
            "DELEGATION LIST", group: .approvals, summary: "Delegations you gave or received (all, for admins).",
            options: [P("user", .identifier), P("active", .boolean)]),
        CommandSpec(
            "DELEGATION END", group: .approvals, summary: "End a delegation before its window closes.",
            positionals: [P("id", .identifier, required: true)], options: [Common.rev]),
    ]
}

enum EventCommands {
    static let all: [CommandSpec] = [
        CommandSpec(
            "WATCH", group: .events,
            summary: "Receive live events matching a filter, optionally from a sequence number.",
            options: [
                P("mine", .boolean), Common.commune, Common.province, P("case", .identifier),
                P("since", .integer(0...Int64.max)),
            ]),
        CommandSpec(
            "UNWATCH", group: .events, summary: "Stop one watch, or all of them.",
            positionals: [P("id", .identifier)]),
        CommandSpec(
            "HISTORY", group: .audit, summary: "The audit records of one entity, oldest first.",
            positionals: [P("entity", .entity, required: true)], options: [Common.limit, Common.offset]),
        CommandSpec(
            "AUDIT VERIFY", group: .audit, summary: "Check the whole audit hash chain; names the first broken link."),
        CommandSpec(
            "AUDIT LIST", group: .audit, summary: "Audit records, filtered by actor, entity or date.",
            options: [
                P("actor", .identifier), P("entity", .entity), P("after", .date), P("before", .date), Common.limit,
                Common.offset,
            ]),
        CommandSpec("METRICS", group: .audit, summary: "The server's metrics in Prometheus text format (admins)."),
    ]
}
