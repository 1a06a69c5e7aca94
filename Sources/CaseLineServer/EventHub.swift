import CaseLineDomain
import CaseLineProtocol
import CaseLineStore
import Foundation
import Logging

/// An event on its way to one session, with the ids of the session's watches it matched.
struct Delivery: Sendable {
    let event: Event
    let watches: [String]
}

/// Live delivery (CLP1.md §8). It follows the event table in sequence order — one reader, so events reach
/// watchers in order whatever order their transactions' commit notices arrive in — and hands each event to
/// the sessions whose watches match it and whose user may see it. A session's queue is bounded: when it is
/// full the session is dropped as a slow consumer, and nobody else waits for it.
actor EventHub {
    struct Watch: Sendable {
        let id: String
        let filter: EventFilter
    }

    /// One watching session.
    struct Subscriber {
        var user: User
        var watches: [Watch]
        let queue: AsyncStream<Delivery>.Continuation
        let drop: @Sendable () -> Void
    }

    private let store: any Store
    private let units: UnitDirectory
    private let logger: Logger
    private let metrics: ServerMetrics
    private var head: Int64 = 0
    private var subscribers: [String: Subscriber] = [:] {
        didSet { if subscribers.count != oldValue.count { metrics.watchingSessions(subscribers.count) } }
    }

    init(store: any Store, units: UnitDirectory, logger: Logger, metrics: ServerMetrics) {
        self.store = store
        self.units = units
        self.logger = logger
        self.metrics = metrics
    }

    /// Follows the store until cancelled: after each commit that wrote events, and once a second for events
    /// written by another process (`caseline-server import`, a second server on the same file).
    func follow() async {
        head = (try? await store.eventBounds().head) ?? 0
        let (wake, wakeUp) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let store = store
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await _ in store.eventsWritten { wakeUp.yield() }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    wakeUp.yield()
                }
            }
            for await _ in wake {
                if Task.isCancelled { break }
                await catchUp()
            }
            group.cancelAll()
        }
        for subscriber in subscribers.values { subscriber.queue.finish() }
    }

    /// The only place `head` moves: events up to it have been offered to every watch that existed then.
    private func catchUp() async {
        // Nobody to offer events to: move past them without reading them back (a watch that arrives later
        // reads what it asks for from the store). A watch may arrive while the bounds are read, and then the
        // events are offered as usual.
        if subscribers.isEmpty, let bounds = try? await store.eventBounds(), subscribers.isEmpty {
            head = max(head, bounds.head)
            return
        }
        while true {
            guard let batch = try? await store.events(after: head, through: nil, limit: 500), !batch.isEmpty else {
                return
            }
            for event in batch { dispatch(event) }
            head = batch.last!.sequence
        }
    }

    private func dispatch(_ event: Event) {
        for (connection, subscriber) in subscribers {
            guard EventVisibility.visible(event.draft, to: subscriber.user, units: units) else { continue }
            let matched = subscriber.watches.filter { $0.filter.matches(event.draft) }.map(\.id)
            guard !matched.isEmpty else { continue }
            switch subscriber.queue.yield(Delivery(event: event, watches: matched)) {
            case .enqueued: break
            case .dropped:
                subscribers[connection] = nil
                subscriber.queue.finish()
                metrics.slowConsumerDropped()
                logger.notice(
                    "slow event consumer dropped",
                    metadata: ["caseline.conn": "\(connection)", "caseline.user": "\(subscriber.user.login)"])
                subscriber.drop()
            case .terminated: subscribers[connection] = nil
            @unknown default: break
            }
        }
    }

    /// Adds a watch; live events after the returned head reach `queue` (the first watch of a session brings
    /// the queue, later ones reuse it). Events up to the head are the caller's backlog to read from the store.
    func watch(
        connection: String, user: User, _ watch: Watch, queue: AsyncStream<Delivery>.Continuation,
        drop: @escaping @Sendable () -> Void
    ) -> Int64 {
        if subscribers[connection] == nil {
            subscribers[connection] = Subscriber(user: user, watches: [], queue: queue, drop: drop)
        }
        subscribers[connection]!.user = user
        subscribers[connection]!.watches.append(watch)
        return head
    }

    /// Stops one watch, or all; returns the ids stopped.
    func unwatch(connection: String, id: String?) -> [String] {
        guard var subscriber = subscribers[connection] else { return [] }
        let stopped = subscriber.watches.filter { id == nil || $0.id == id }.map(\.id)
        subscriber.watches.removeAll { stopped.contains($0.id) }
        subscribers[connection] = subscriber
        return stopped
    }

    /// The session has closed.
    func leave(connection: String) {
        subscribers.removeValue(forKey: connection)?.queue.finish()
    }

    /// An account changed: its sessions watch with its new scope and role; a disabled account hears nothing.
    func refresh(_ login: String) async {
        let fresh = try? await store.user(login: login)
        for (connection, subscriber) in subscribers where subscriber.user.login == login {
            if let fresh, !fresh.disabled {
                subscribers[connection]?.user = fresh
            } else {
                subscribers[connection] = nil
                subscriber.queue.finish()
            }
        }
    }

    var watcherCount: Int { subscribers.count }

    /// The EVENT record (CLP1.md §11).
    static func record(_ delivery: Delivery) -> Record {
        let event = delivery.event
        var fields = [
            Field("seq", String(event.sequence)), Field("at", Timestamp.format(event.at)),
            Field("type", event.draft.type.rawValue), Field("watch", delivery.watches.joined(separator: ",")),
            Field("actor", event.actor),
        ]
        if let onBehalfOf = event.onBehalfOf { fields.append(Field("on-behalf-of", onBehalfOf)) }
        if let province = event.draft.province { fields.append(Field("province", province)) }
        if let commune = event.draft.commune { fields.append(Field("commune", commune)) }
        fields += event.draft.details.map { Field($0.key, $0.value) }
        return Record("EVENT", fields)
    }
}
