import CaseLineDomain
import CaseLineStore
import Foundation
import Logging

/// Raises `task.deadline-soon` and `task.overdue` (CLP1.md §8), `review.deadline-soon` and `review.overdue`
/// for review campaigns not yet decided (§10.11), and applies the event retention. The store
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
            notices += try await reviewNotices(today: today, known: known)
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

    /// The decision deadlines of the campaigns still open: those of this review year and the last (an older
    /// campaign still open is overdue already, and its notice was raised when it became so).
    func reviewNotices(today: String, known: Set<String>) async throws -> [DeadlineNotice] {
        let env = environment
        guard let day = CivilDate(today) else { return [] }
        var notices: [DeadlineNotice] = []
        for year in [day.year - 1, day.year] {
            for campaign in try await env.store.reviewCampaigns(communes: nil, reviewYear: year) {
                guard
                    let (kind, event) = ReviewCampaignMachine.notice(
                        for: campaign, today: day, soonDays: env.configuration.events.deadlineSoonDays),
                    let type = EventType(rawValue: event.kind.rawValue)
                else { continue }
                let due = campaign.decisionDue.description
                guard !known.contains(Self.key(campaign.id, kind, due)) else { continue }
                let place = env.eventPlace(commune: campaign.commune)
                let concerns = Set((campaign.plan?.committee ?? []) + (campaign.plan?.reviewers.map(\.login) ?? []))
                notices.append(
                    DeadlineNotice(
                        task: campaign.id, kind: kind, due: due,
                        event: EventDraft(
                            type, province: place.province, commune: place.commune, details: event.details,
                            concerns: concerns)))
            }
        }
        return notices
    }
}
