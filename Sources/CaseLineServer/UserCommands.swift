import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// USER CREATE, LIST, SHOW, UPDATE, DISABLE, ENABLE, UNLOCK, RESET-PASSWORD (CLP1.md §10.2).
enum UserCommands {
    static let login = Param.id("login").required
    static let name = Param.text("name", max: 100)
    static let role = Param<Role>.choice("role")
    static let scope = Param.scope("scope")
    static let email = Param.text("email", max: 254)
    static let phone = Param.text("phone", max: 32)
    static let status = Param<AccountStatus>.choice("status")
    static let query = Param.text("q", max: 100)
    static let cert = Param.fingerprint("cert")
    static let admins: CommandDefinition.Access = .roles([.admin])

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "USER CREATE", group: .users, summary: "Create a user; prints a one-time password.", positionals: [login],
            options: [name.required, role.required, scope, email, phone, Common.key], access: admins,
            who: "admin; the new user's scope must lie inside the caller's.", handler: create),
        CommandDefinition(
            "USER LIST", group: .users, summary: "List users, filtered by role, scope, status or name.",
            options: [role, scope, status, query, Common.limit, Common.offset],
            access: .roles([.admin, .chair, .deputy, .auditor]),
            who:
                "admin, auditor, chair, deputy; users in the caller's scope only. Officers and staff get `NO [FORBIDDEN]`.",
            handler: list),
        CommandDefinition(
            "USER SHOW", group: .users, summary: "Show one user with committee seats and assignments.",
            positionals: [login], access: .authenticated,
            who: "admin, auditor, chair, deputy, for users in their scope; any user for their own login.",
            handler: show),
        CommandDefinition(
            "USER UPDATE", group: .users, summary: "Change a user's name, role, scope, contact or certificate.",
            positionals: [login], options: [name, role, scope, email, phone, cert, Common.rev], access: admins,
            who: "admin; the user, and the new scope if given, must lie inside the caller's scope.", handler: update),
        CommandDefinition(
            "USER DISABLE", group: .users, summary: "Disable an account; its sessions and tokens stop working.",
            positionals: [login], options: [Common.reason, Common.rev], access: admins,
            who: "admin, for users in their scope.", handler: disable),
        CommandDefinition(
            "USER ENABLE", group: .users, summary: "Enable a disabled account.", positionals: [login],
            options: [Common.rev], access: admins, who: "admin, for users in their scope.", handler: enable),
        CommandDefinition(
            "USER UNLOCK", group: .users, summary: "Unlock an account locked by failed logins.", positionals: [login],
            access: admins, who: "admin, for users in their scope.", handler: unlock),
        CommandDefinition(
            "USER RESET-PASSWORD", group: .users,
            summary: "Give a user a new one-time password that must be changed at next login.", positionals: [login],
            access: admins,
            who:
                "admin, for users in their scope other than themselves (an admin changes their own password with `PASSWORD`).",
            handler: resetPassword),
    ]

    static let readersOfContacts: Set<Role> = [.admin, .auditor, .chair, .deputy]

    /// `status=locked` while some client address is locked out of the account (CLP1.md §10.2); the lock ends
    /// by itself at `locked-until`, shown to admins with the failures behind it.
    static func record(_ user: User, viewer: User?, login: LoginState, env: ServerEnvironment) -> Record {
        let now = env.clock()
        let status = AccountStatus(user, login, now: now).rawValue
        let isSelf = viewer?.login == user.login
        var fields = [
            Field("login", user.login), Field("name", user.name), Field("role", user.role.rawValue),
            Field("scope", user.scope.description), Field("status", status),
            Field("must-change-password", user.mustChangePassword ? "yes" : "no"),
        ]
        if isSelf || viewer.map({ readersOfContacts.contains($0.role) }) == true {
            if let email = user.email { fields.append(Field("email", email)) }
            if let phone = user.phone { fields.append(Field("phone", phone)) }
        }
        if isSelf || viewer?.role == .admin, let cert = user.certificateFingerprint {
            fields.append(Field("cert", cert))
        }
        if let created = user.created { fields.append(Field("created", Timestamp.format(created))) }
        if let last = user.lastLogin { fields.append(Field("last-login", Timestamp.format(last))) }
        if viewer?.role == .admin {
            fields.append(Field("failed-logins", String(login.nameFailures)))
            if let until = login.lockedUntil, login.isLocked(at: now) {
                fields.append(Field("locked-until", Timestamp.format(until)))
            }
        }
        if user.disabled, let reason = user.disabledReason { fields.append(Field("disabled-reason", reason)) }
        fields.append(Field("rev", String(user.revision)))
        return Record("USER", fields)
    }

    static func render(_ user: User, _ env: ServerEnvironment, _ session: SessionState) async throws -> Record {
        record(
            user, viewer: session.user, login: try await env.store.loginStates()[user.login] ?? LoginState(), env: env)
    }

    /// A random one-time password from an alphabet without look-alikes, in groups a person can read out.
    static func oneTimePassword() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return stride(from: 0, to: 16, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// The target user, who must exist and lie inside the caller's scope.
    static func target(_ login: String, _ input: CommandInput, _ env: ServerEnvironment, _ session: SessionState)
        async throws -> User
    {
        guard let user = try await env.store.user(login: login) else {
            throw DomainError(.notFound, "no user \(login)")
        }
        guard env.reaches(session, input.name, .scope(user.scope)) else {
            throw DomainError(.outOfScope, "user \(login) (\(user.scope)) is outside your scope")
        }
        return user
    }

    /// A `scope=` value: the unit must exist in the 2025 edition at the named level, inside the caller's scope.
    static func scope(_ scope: Scope, _ input: CommandInput, _ env: ServerEnvironment, _ session: SessionState) throws
        -> Scope
    {
        switch scope {
        case .national: break
        case .province(let code), .commune(let code):
            guard let unit = env.units.unit(UnitRef(.current, code)) else {
                throw DomainError(.notFound, "no 2025 unit \(code)")
            }
            let wanted: UnitLevel = if case .province = scope { .province } else { .commune }
            guard unit.level == wanted else {
                throw DomainError(.invalid, "\(unit.name) is a \(unit.level.rawValue), not a \(wanted.rawValue)")
            }
        }
        guard env.reaches(session, input.name, .scope(scope)) else {
            throw DomainError(.outOfScope, "scope \(scope) is outside your scope")
        }
        return scope
    }

    static func checkRoleFitsScope(_ role: Role, _ scope: Scope) throws {
        if role == .staff, case .commune = scope { return }
        if role == .staff { throw DomainError(.invalid, "role staff needs a commune: scope") }
    }

    static func checkName(_ name: String) throws {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw DomainError(.invalid, "the name may not be empty")
        }
    }

    static func create(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let login = try input[Self.login]
        let claim = Idempotency.claim(input, session)
        if let id = try await Idempotency.earlier(claim, kind: "user", env: env),
            let user = try await env.store.user(login: id)
        {
            return Reply(
                responses: [.record(try await render(user, env, session))],
                text: "user \(login) was created earlier with this key; the one-time password is not shown again",
                code: "REPLAYED")
        }
        // The order of checks (CLP1.md §10): the scope named before the values given.
        let caller = try session.requireUser()
        let scope = try input[scope].map { try Self.scope($0, input, env, session) } ?? caller.scope
        let name = try input[name.required]
        try checkName(name)
        let role = try input[role.required]
        try checkRoleFitsScope(role, scope)
        let password = oneTimePassword()
        let user = User(
            login: login, name: name, role: role, scope: scope, email: input[email], phone: input[phone],
            mustChangePassword: true)
        try await env.store.createUser(
            user, passwordHash: try await env.hasher.hash(password), claim: claim,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "user:\(login)",
                change: "created: name=\(name) role=\(role.rawValue) scope=\(scope)"))
        guard let created = try await env.store.user(login: login) else {
            throw DomainError(.internalError, "user \(login) was created but cannot be read back")
        }
        return .ok(
            "user \(login) created; hand the one-time password to the user",
            [
                try await render(created, env, session),
                Record("ONE-TIME-PASSWORD", [Field("login", login), Field("password", password)]),
            ])
    }

    static func list(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let caller = try session.requireUser()
        let within = try input[scope].map { try Self.scope($0, input, env, session) }
        let role = input[role]
        let query = input[query].map(NameFolding.fold)
        let logins = try await env.store.loginStates()
        let now = env.clock()
        let users = try await env.store.users().filter { user in
            env.reaches(session, input.name, .scope(user.scope))
                && within.map { env.units.scope($0, contains: user.scope) } ?? true
                && role.map { user.role == $0 } ?? true
                && query.map {
                    NameFolding.fold(user.login).contains($0) || NameFolding.fold(user.name).contains($0)
                } ?? true
                && input[status].map { $0 == AccountStatus(user, logins[user.login] ?? LoginState(), now: now) }
                    ?? true
        }
        let records = Paging.page(users, input) {
            record($0, viewer: caller, login: logins[$0.login] ?? LoginState(), env: env)
        }
        return .ok(Paging.summary(records, "users"), records)
    }

    static func show(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let caller = try session.requireUser()
        let login = try input[Self.login]
        let user: User
        if login == caller.login {
            user = try await env.store.user(login: login) ?? caller
        } else {
            guard readersOfContacts.contains(caller.role) else {
                throw DomainError(.forbidden, "your role (\(caller.role.rawValue)) may only look up your own account")
            }
            user = try await target(login, input, env, session)
        }
        var records = [try await render(user, env, session)]
        let committees = Dictionary(uniqueKeysWithValues: try await env.store.committees().map { ($0.id, $0) })
        for member in try await env.store.members(committee: nil, login: login) {
            if let committee = committees[member.committee] {
                records.append(CommitteeCommands.memberRecord(member, committee, userName: user.name))
            }
        }
        let today = env.today()
        for assignment in try await env.store.assignments(commune: nil, login: login).reversed()
        where assignment.state(on: today) != .ended {
            records.append(try await AssignmentCommands.record(assignment, env))
        }
        return .ok("", records)
    }

    /// After a change of role, scope or status: open sessions of the user pick it up at their next command.
    static func save(
        _ user: User, was old: User, changes: ChangeList, _ env: ServerEnvironment, _ session: SessionState,
        _ input: CommandInput
    ) async throws -> User {
        let saved = try await env.store.saveUser(
            user, expectedRevision: input[Common.rev] ?? old.revision,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "user:\(user.login)", change: changes.text))
        await env.registry.userChanged(user.login)
        await env.events.refresh(user.login)
        return saved
    }

    static func requireRevision(_ input: CommandInput, _ user: User) throws {
        if let expected = input[Common.rev], expected != user.revision {
            throw DomainError(
                .conflict, "user \(user.login) changed since revision \(expected)",
                details: [("current", String(user.revision))])
        }
    }

    /// The server must always keep someone able to administer it everywhere.
    static func checkNotLastNationalAdmin(_ user: User, _ env: ServerEnvironment) async throws {
        guard user.role == .admin, user.scope == .national, !user.disabled else { return }
        let others = try await env.store.users().filter {
            $0.login != user.login && $0.role == .admin && $0.scope == .national && !$0.disabled
        }
        if others.isEmpty { throw DomainError(.invalid, "\(user.login) is the last active national admin") }
    }

    static func update(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let old = try await target(try input[login], input, env, session)
        try requireRevision(input, old)
        var user = old
        var changes = ChangeList()
        if let name = input[name] {
            try checkName(name)
            user.name = name
        }
        if let role = input[role] { user.role = role }
        if let scope = input[scope] { user.scope = try Self.scope(scope, input, env, session) }
        if let email = input[email] { user.email = email.isEmpty ? nil : email }
        if let phone = input[phone] { user.phone = phone.isEmpty ? nil : phone }
        if let cert = input[cert] {
            // The codec gives the fingerprint as 64 lower-case hex digits, colons removed.
            user.certificateFingerprint = cert
            if let hex = user.certificateFingerprint, let owner = try await env.store.user(certificateFingerprint: hex),
                owner.login != user.login
            {
                throw DomainError(
                    .alreadyExists, "that certificate is already mapped to \(owner.login)",
                    details: [("user", owner.login)])
            }
        }
        changes.note("name", old.name, user.name)
        changes.note("role", old.role.rawValue, user.role.rawValue)
        changes.note("scope", old.scope.description, user.scope.description)
        changes.note("email", old.email, user.email)
        changes.note("phone", old.phone, user.phone)
        changes.note("cert", old.certificateFingerprint, user.certificateFingerprint)
        guard !changes.isEmpty else { throw DomainError(.invalid, "nothing to change") }
        try checkRoleFitsScope(user.role, user.scope)
        if user.role != .admin || user.scope != .national { try await checkNotLastNationalAdmin(old, env) }
        try await checkSeatsStillFit(user, env)
        let saved = try await save(user, was: old, changes: changes, env, session, input)
        return .ok("user \(saved.login) updated", [try await render(saved, env, session)])
    }

    /// A member's committee seats and open assignments must stay inside their scope and fit their role.
    static func checkSeatsStillFit(_ user: User, _ env: ServerEnvironment) async throws {
        var problems: [String] = []
        let committees = Dictionary(uniqueKeysWithValues: try await env.store.committees().map { ($0.id, $0) })
        for member in try await env.store.members(committee: nil, login: user.login) {
            guard let committee = committees[member.committee] else { continue }
            if !CommitteeCommands.seatableRoles.contains(user.role)
                || !env.units.scope(user.scope, contains: UnitRef(.current, committee.unit))
            {
                problems.append("seat on \(committee.id)")
            }
        }
        let today = env.today()
        for assignment in try await env.store.assignments(commune: nil, login: user.login)
        where assignment.state(on: today) != .ended
            && !env.units.scope(user.scope, contains: UnitRef(.current, assignment.commune))
        {
            problems.append("\(assignment.id) (\(assignment.commune))")
        }
        if !problems.isEmpty {
            throw DomainError(
                .invalid,
                "the new role or scope no longer fits \(problems.joined(separator: ", ")); end or move them first")
        }
    }

    static func disable(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let old = try await target(try input[login], input, env, session)
        try requireRevision(input, old)
        guard try old.login != session.requireUser().login else {
            throw DomainError(.invalid, "you cannot disable yourself")
        }
        guard !old.disabled else {
            return .ok("user \(old.login) is already disabled", [try await render(old, env, session)])
        }
        try await checkNotLastNationalAdmin(old, env)
        var user = old
        user.disabled = true
        user.disabledReason = input[Common.reason]
        var changes = ChangeList()
        changes.note("status", "active", "disabled")
        if let reason = user.disabledReason { changes.note("reason", nil, reason) }
        let saved = try await save(user, was: old, changes: changes, env, session, input)
        await env.registry.revoke(user: saved.login)
        await env.events.refresh(saved.login)
        return .ok("user \(saved.login) disabled", [try await render(saved, env, session)])
    }

    static func enable(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let old = try await target(try input[login], input, env, session)
        try requireRevision(input, old)
        guard old.disabled else {
            return .ok("user \(old.login) is already enabled", [try await render(old, env, session)])
        }
        var user = old
        user.disabled = false
        user.disabledReason = nil
        var changes = ChangeList()
        changes.note("status", "disabled", "active")
        let saved = try await save(user, was: old, changes: changes, env, session, input)
        return .ok("user \(saved.login) enabled", [try await render(saved, env, session)])
    }

    static func unlock(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let user = try await target(try input[login], input, env, session)
        try await env.store.unlock(
            login: user.login,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "user:\(user.login)", change: "unlocked"))
        return .ok("user \(user.login) unlocked", [try await render(user, env, session)])
    }

    static func resetPassword(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput)
        async throws -> Reply
    {
        let user = try await target(try input[login], input, env, session)
        guard try user.login != session.requireUser().login else {
            throw DomainError(.invalid, "change your own password with PASSWORD")
        }
        guard !user.disabled else { throw DomainError(.invalid, "\(user.login) is disabled; enable the account first") }
        let password = oneTimePassword()
        try await env.store.setPassword(
            login: user.login, passwordHash: try await env.hasher.hash(password), mustChange: true,
            audit: AuditEntry(
                actor: session.actor, command: input.name, entity: "user:\(user.login)",
                change: "password reset; must-change-password: no → yes"))
        try await env.store.clearLoginFailures(name: user.login, address: nil)
        await env.registry.revokePasswordSessions(user: user.login)
        await env.registry.userChanged(user.login)
        await env.events.refresh(user.login)
        let fresh = try await env.store.user(login: user.login) ?? user
        return .ok(
            "password of \(user.login) reset; hand the one-time password to the user",
            [
                try await render(fresh, env, session),
                Record("ONE-TIME-PASSWORD", [Field("login", user.login), Field("password", password)]),
            ])
    }
}
