public import CaseLineDomain
public import CaseLineStore
public import Foundation

/// A province's tasks of past years (work done, cancelled or still open) from its spreadsheets, under the
/// units they were made in (format: Tools/samples/history-tasks.md). One CSV row per task. A task comes in in
/// the state the file gives, without events; a done (or cancelled) task gets its move into that state dated
/// the file's `done_date`, which REPORT WORK reads. All of a file in one transaction (`Store.importTasks`),
/// every error named by line and column, a dry run that keeps nothing, and a second run changes nothing.
public enum TaskImporter {
    public struct Report: Sendable {
        public var rows: Int
        public var created: Int
        public var unchanged: Int
        public var importID: String
        public var dryRun: Bool
    }

    static let known = [
        "unit", "successor", "key", "title", "description", "component", "state", "due", "done_date", "assignee",
        "priority", "reason",
    ]
    static let required = ["unit", "key", "title", "state"]
    /// The states a task comes in with: open ones a province still tracks, and closed ones.
    static let states: [WorkTask.State] = [.new, .assigned, .inprogress, .done, .cancelled]

    public static func run(
        _ bytes: [UInt8], source: String, dryRun: Bool, creator: String, actor: Actor, command: String,
        store: any Store, units: UnitDirectory, today: CivilDate, now: Date = Date()
    ) async throws -> Report {
        let importID = ImportSheet.importID(now)
        let (imports, assignees) = try parse(
            bytes, source: source, importID: importID, creator: creator, units: units, today: today, now: now)
        // Assignees must be accounts of this server.
        var issues: [SurveyImport.Issue] = []
        for (login, places) in assignees.sorted(by: { $0.key < $1.key })
        where try await store.user(login: login) == nil {
            issues += places.map {
                SurveyImport.Issue(
                    line: $0.line, column: $0.column, field: "assignee", message: "no user \(login) on this server")
            }
        }
        guard issues.isEmpty else {
            throw SurveyImport.Failure(issues: issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
                .domainError
        }
        let outcome = try await store.importTasks(
            imports, dryRun: dryRun,
            audit: AuditEntry(
                actor: actor, command: command, entity: "task:*",
                change: "import \(importID) of \(source): \(imports.count) tasks (lines "
                    + "\(imports.first?.task.imported?.line ?? 0)–\(imports.last?.task.imported?.line ?? 0))"))
        return Report(
            rows: outcome.created.count + outcome.unchanged.count, created: outcome.created.count,
            unchanged: outcome.unchanged.count, importID: importID, dryRun: dryRun)
    }

    /// The file's tasks and the places each assignee is named, or every problem found in it.
    static func parse(
        _ bytes: [UInt8], source: String, importID: String, creator: String, units: UnitDirectory, today: CivilDate,
        now: Date
    ) throws -> ([TaskImport], [String: [(line: Int, column: Int)]]) {
        let sheet = try ImportSheet.read(bytes, known: known, required: required)
        var imports: [TaskImport] = []
        var assignees: [String: [(line: Int, column: Int)]] = [:]
        var keys: [(key: String, line: Int, column: Int)] = []
        var issues = sheet.rows { row in
            let place = row.unit(units)
            let key = row.key()
            let title = row.text("title", required: true, max: 200)
            let description = row.text("description", required: false, max: 100_000)
            var component: ProgrammeComponent?
            if let text = row.text("component") {
                component = ProgrammeComponent(rawValue: text.lowercased())
                if component == nil {
                    row.fail(
                        "component",
                        "\(text) is not a programme component: "
                            + ProgrammeComponent.allCases.map(\.rawValue).joined(separator: ", "))
                }
            }
            var state: WorkTask.State?
            if let text = row.required("state") {
                state = WorkTask.State(rawValue: text.lowercased()).flatMap { states.contains($0) ? $0 : nil }
                if state == nil {
                    row.fail(
                        "state",
                        "\(text) is not a state a task is imported in: "
                            + states.map(\.rawValue).joined(separator: ", "))
                }
            }
            var priority = WorkTask.Priority.normal
            if let text = row.text("priority") {
                if let found = WorkTask.Priority(rawValue: text.lowercased()) {
                    priority = found
                } else {
                    row.fail("priority", "priority is low, normal, high or urgent, not \(text)")
                }
            }
            var due: CivilDate?
            if let text = row.text("due") {
                due = CivilDate(text)
                if due?.description != text {
                    row.fail("due", "due is a date YYYY-MM-DD, not \(text)")
                    due = nil
                }
            }
            let closed = row.date("done_date", required: state == .done, today: today)
            if closed != nil, let state, state.isOpen {
                row.fail("done_date", "done_date is for done or cancelled tasks, not \(state.rawValue) ones")
            }
            let assignee = row.text("assignee", required: false, max: 64)
            if assignee == nil, let state, state == .assigned || state == .inprogress {
                row.fail("assignee", "an \(state.rawValue) task names its assignee")
            }
            let reason = row.text("reason", required: false, max: 1000)
            guard row.issues.isEmpty, let place, let key, let title, let state else { return }
            if let assignee { assignees[assignee, default: []].append((row.line, row.column("assignee"))) }
            let fullKey = "\(place.unit.ref.description)/\(key)"
            keys.append((fullKey, row.line, row.column("key")))
            let fingerprint = ImportSheet.fingerprint(
                [
                    fullKey, place.successor ?? "", title, description ?? "", component?.rawValue ?? "", state.rawValue,
                    due?.description ?? "", closed?.description ?? "", assignee ?? "", priority.rawValue, reason ?? "",
                ])
            let mark = ImportMark(
                source: source, line: row.line, importID: importID, key: fullKey, successor: place.successor)
            let task = WorkTask(
                commune: place.unit.ref.description, title: title, description: description, state: state,
                reason: reason, component: component?.rawValue, assignee: assignee, due: due?.description,
                priority: priority, creator: creator, createdAt: now, updatedAt: now, imported: mark)
            let transition = closed.flatMap { day in
                ServerEnvironment.startOfDay(day.description).map {
                    TaskTransition(task: "", from: .new, to: state, by: creator, at: $0, reason: reason)
                }
            }
            var change =
                "imported from \(source) line \(row.line) (import \(importID), key \(fullKey)): commune=\(task.commune) "
                + "state=\(state.rawValue)"
            if let component { change += " component=\(component.rawValue)" }
            if let due { change += " due=\(due)" }
            if let closed { change += " closed=\(closed)" }
            if let assignee { change += " assignee=\(assignee)" }
            change += "; title: \(title)"
            imports.append(TaskImport(task: task, fingerprint: fingerprint, transition: transition, change: change))
        }
        issues += ImportSheet.duplicates(keys)
        guard issues.isEmpty else {
            throw SurveyImport.Failure(issues: issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
                .domainError
        }
        guard !imports.isEmpty else { throw DomainError(.invalid, "line 2: no rows") }
        return (imports, assignees)
    }
}
