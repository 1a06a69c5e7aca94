import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation

/// WATCH and UNWATCH (CLP1.md §10.6): subscriptions to the event log, with a backlog read from the store.
enum WatchCommands {
    static let mine = Param.boolean("mine")
    static let caseID = Param.id("case")
    static let since = Param.integer("since", 0...Int64.max)
    static let watchID = Param.id("id")

    static let definitions: [CommandDefinition] = [
        CommandDefinition(
            "WATCH", group: .events,
            summary: "Receive live events matching a filter, optionally from a sequence number.",
            options: [mine, Common.commune, Common.province, caseID, since], access: .authenticated,
            who: "any authenticated role, for filters inside their scope.", handler: watch),
        CommandDefinition(
            "UNWATCH", group: .events, summary: "Stop one watch, or all of them.", positionals: [watchID],
            access: .authenticated, reach: .anywhere, who: "any authenticated role, for its own session's watches.",
            handler: unwatch),
    ]

    /// Backlog events are read and written a page at a time, so a long `since=` never sits in memory.
    static let backlogPage = 500

    static func watch(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let user = try session.requireUser()
        let filter = try await filter(input, env, session)
        guard session.watchIDs.count < env.configuration.events.maxWatches else {
            throw DomainError(
                .invalid, "this session already holds \(env.configuration.events.maxWatches) watches; UNWATCH one first"
            )
        }
        let since = input[since]
        if let since {
            let bounds = try await env.store.eventBounds()
            // Older than what is kept, or newer than anything this server ever numbered (a restored backup):
            // either way the client's picture cannot be completed from the log.
            if since < bounds.droppedThrough || since > bounds.head {
                let oldest = bounds.droppedThrough + 1
                throw DomainError(
                    .resyncRequired,
                    since > bounds.head
                        ? "this server has no event \(since) (its last is \(bounds.head)); re-read, then watch from now"
                        : "events before \(oldest) are no longer kept; re-read, then watch from now",
                    details: [("oldest", String(oldest))])
            }
        }
        guard let output = session.output else { throw DomainError(.unavailable, "this session cannot watch") }
        if session.eventQueue == nil {
            let (stream, queue) = AsyncStream.makeStream(
                of: Delivery.self, bufferingPolicy: .bufferingOldest(env.configuration.events.queue))
            session.eventQueue = queue
            session.eventPump = Task {
                for await delivery in stream {
                    do {
                        try await output.writeEvent(delivery.event.sequence, EventHub.record(delivery))
                    } catch {
                        return
                    }
                }
            }
        }
        session.watchesMade += 1
        let id = "W\(session.watchesMade)"
        let head = await env.events.watch(
            connection: session.connectionID, user: user, EventHub.Watch(id: id, filter: filter),
            queue: session.eventQueue!, drop: { Task { await output.dropSlowConsumer() } })
        session.watchIDs.append(id)
        if session.watchIDs.count == 1 { await output.setWatching(true) }

        var watching = [Field("id", id), Field("filter", filter.description)]
        if let since { watching.append(Field("since", String(since))) }
        watching.append(Field("head", String(head)))
        try await output.write([.record(Record("WATCHING", watching))])
        guard let since else { return .ok("watching \(id)", []) }
        var sent = 0
        var cursor = since
        while cursor < head {
            let page = try await env.store.events(after: cursor, through: head, limit: backlogPage)
            guard let last = page.last else { break }
            cursor = last.sequence
            let records = page.filter {
                EventVisibility.visible($0.draft, to: user, units: env.units) && filter.matches($0.draft)
            }.map { Response.record(EventHub.record(Delivery(event: $0, watches: [id]))) }
            sent += records.count
            try await output.write(records)
        }
        return .ok("watching \(id) from \(since); \(sent) earlier event\(sent == 1 ? "" : "s") sent", [])
    }

    /// The filter a WATCH asks for, each unit and case checked against the caller's scope.
    static func filter(_ input: CommandInput, _ env: ServerEnvironment, _ session: SessionState) async throws
        -> EventFilter
    {
        var filter = EventFilter()
        if input[mine] == true { filter.mine = try session.requireUser().login }
        if let ref = input[Common.commune] {
            filter.commune = try place(ref, level: .commune, env, session).ref.code
        }
        if let ref = input[Common.province] {
            filter.province = try place(ref, level: .province, env, session).ref.code
        }
        if let id = input[caseID] {
            guard let file = try await env.store.caseFile(id: id) else { throw DomainError(.notFound, "no case \(id)") }
            try env.requireReach(session, input.name, .unit(UnitRef(stored: file.commune)))
            filter.caseID = file.id
        }
        return filter
    }

    private static func place(_ ref: UnitRef, level: UnitLevel, _ env: ServerEnvironment, _ session: SessionState)
        throws -> AdminUnit
    {
        let unit = try env.unit(ref)
        guard unit.level == level, let current = env.units.current(unit.ref) else {
            throw DomainError(.invalid, "\(unit.name) is not a \(level.rawValue)")
        }
        try env.requireReach(session, "WATCH", .unit(current.ref))
        return current
    }

    static func unwatch(_ env: ServerEnvironment, _ session: inout SessionState, _ input: CommandInput) async throws
        -> Reply
    {
        let id = input[watchID]
        let stopped = await env.events.unwatch(connection: session.connectionID, id: id)
        if let id, stopped.isEmpty { throw DomainError(.notFound, "this session has no watch \(id)") }
        session.watchIDs.removeAll { stopped.contains($0) }
        if session.watchIDs.isEmpty, !stopped.isEmpty { await session.output?.setWatching(false) }
        if let id { return .ok("\(id) stopped", []) }
        return .ok("\(stopped.count) watch\(stopped.count == 1 ? "" : "es") stopped", [])
    }
}
