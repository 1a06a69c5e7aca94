import CaseLineDomain
import CaseLineStore
import Foundation
import Logging

/// Raises `task.deadline-soon` and `task.overdue` (CLP1.md §8) and applies the event retention. The store
/// keeps one row per raised notice, written with its event, so a restart neither repeats nor misses one.
struct DeadlineScheduler {
    let environment: ServerEnvironment

    func run() async {
        var known: Set<String> = []
        while !Task.isCancelled {
            await look(known: &known)
            try? await Task.sleep(for: environment.configuration.events.deadlineCheck)
        }
    }

    /// One notice, as the store's `deadline_notice` key.
    static func key(_ task: String, _ kind: DeadlineRules.Kind, _ due: String) -> String {
        "\(task) \(kind.rawValue) \(due)"
    }

    /// One look. `known` holds the notices this process already handed to the store, so that a task
    /// overdue for months costs one row write in all, not one a minute.
    func look(known: inout Set<String>) async {
        let env = environment
        let now = env.clock()
        let today = ServerEnvironment.day(now)
        let soonFrom = ServerEnvironment.day(
            ServerEnvironment.calendar.date(byAdding: .day, value: env.configuration.events.deadlineSoonDays, to: now)
                ?? now)
        do {
            var notices: [DeadlineNotice] = []
            for task in try await env.store.tasks(communes: nil) {
                guard let kind = DeadlineRules.notice(for: task, today: today, soonFrom: soonFrom),
                    let due = task.due, !known.contains(Self.key(task.id, kind, due))
                else { continue }
                var details = [EventDetail("due", due)]
                if let assignee = task.assignee { details.append(EventDetail("assignee", assignee)) }
                let type: EventType = kind == .soon ? .taskDeadlineSoon : .taskOverdue
                notices.append(
                    DeadlineNotice(
                        task: task.id, kind: kind, due: due, event: try await env.taskEvent(type, task, details)))
            }
            if !notices.isEmpty {
                let raised = try await env.store.recordDeadlines(notices, at: now)
                for notice in notices { known.insert(Self.key(notice.task, notice.kind, notice.due)) }
                if raised > 0 { env.logger.info("deadline events raised", metadata: ["caseline.count": "\(raised)"]) }
            }
            let cutoff = now.addingTimeInterval(-Double(env.configuration.events.retention.wholeSeconds))
            let dropped = try await env.store.dropEvents(before: cutoff)
            if dropped > 0 { env.logger.info("expired events dropped", metadata: ["caseline.count": "\(dropped)"]) }
        } catch {
            env.logger.error("deadline look failed", metadata: ["caseline.error": "\(error)"])
        }
    }
}
