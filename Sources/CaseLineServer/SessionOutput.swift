import CaseLineProtocol
import NIOCore

/// The one way out of a session: the greeting, responses from the request loop, events from the session's
/// event pump and goodbyes. Lines are encoded here, on the session's own task, not on the event loop (which
/// then only encrypts and writes), and every write is counted against the session's outbound budget: past
/// `limits.outbound-buffer` unwritten bytes the session waits, and so stops reading requests (CLP1.md §9).
/// Events are written only between complete responses (CLP1.md §8): while a request runs, the pump waits,
/// and so do its events, in the session's bounded event queue, where a reader that falls behind shows.
actor SessionOutput {
    private let channel: any Channel
    private let budget: OutboundBudget
    private var responding = false
    private var closing = false
    private var waitingPump: [CheckedContinuation<Void, Never>] = []
    /// The last event whose write completed: a client that reads a `BYE` after it has every event up to it.
    private(set) var lastEventSent: Int64 = 0
    /// An event write under way, and who waits for it to end (the slow-consumer goodbye must come after it).
    private var writing = false
    private var writeEnded: [CheckedContinuation<Void, Never>] = []

    init(channel: any Channel, outboundLimit: Int) {
        self.channel = channel
        let budget = OutboundBudget(limit: outboundLimit)
        self.budget = budget
        channel.closeFuture.whenComplete { _ in budget.close() }
    }

    /// Unwritten bytes handed to the connection (for tests and metrics).
    nonisolated var unwrittenBytes: Int { budget.inFlight }

    func beginResponse() { responding = true }

    /// Part of the running request's answer (a `WATCH` backlog is written page by page), or a line outside
    /// any request (the greeting, a goodbye).
    func write(_ responses: [Response]) async throws {
        try await send(responses)
    }

    func finishResponse(_ responses: [Response]) async throws {
        defer {
            responding = false
            let pump = waitingPump
            waitingPump = []
            for continuation in pump { continuation.resume() }
        }
        try await send(responses)
    }

    func writeEvent(_ sequence: Int64, _ record: Record) async throws {
        while responding && !closing { await withCheckedContinuation { waitingPump.append($0) } }
        guard !closing else { return }
        writing = true
        defer {
            writing = false
            let waiting = writeEnded
            writeEnded = []
            for continuation in waiting { continuation.resume() }
        }
        try await send([.record(record)], completed: true)
        lastEventSent = sequence
    }

    /// Encodes, hands the bytes to the connection, and waits while the budget is spent. With `completed`, it
    /// also waits until these very bytes are written (an event's number is remembered only once it left).
    private func send(_ responses: [Response], completed: Bool = false) async throws {
        guard !responses.isEmpty else { return }
        var buffer = channel.allocator.buffer(capacity: 256)
        for response in responses { ResponseEncoder.encode(response, into: &buffer) }
        let size = buffer.readableBytes
        guard budget.take(size) else { throw ChannelError.ioOnClosedChannel }
        let budget = budget
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenComplete { _ in budget.release(size) }
        channel.writeAndFlush(buffer, promise: written)
        if completed { try await written.futureResult.get() }
        await budget.waitForRoom()
    }

    /// The session's event queue overflowed: say so after the events already sent; the connection is closed
    /// 10 s later at the latest, even if the client never reads the goodbye.
    func dropSlowConsumer() async {
        guard !closing else { return }
        closing = true
        let channel = channel
        channel.eventLoop.scheduleTask(in: .seconds(10)) { channel.close(promise: nil) }
        // An event still on its way goes first, so that last-seq names exactly what preceded the goodbye; if it
        // never drains, the deadline closes the connection and the client resumes from what it processed.
        if writing { await withCheckedContinuation { writeEnded.append($0) } }
        try? await send([
            .bye(
                code: "SLOW-CONSUMER", details: [Field("last-seq", String(lastEventSent))],
                text: "events were not read fast enough; WATCH again with since=\(lastEventSent)")
        ])
        // No close here: closing fails whatever NIO still holds for the socket, the goodbye included. The
        // client closes once it has read it, or the deadline above does.
    }

    /// After the session's last line (a goodbye): the server's side is closed with TLS's close_notify and a
    /// TCP FIN, and whatever the client still sends is read and dropped until it closes too, for `time` at most.
    /// Closing at once with a request of the client's unread makes the kernel answer with a reset that throws
    /// away the goodbye still on its way (a client sending as SIGTERM landed could miss its BYE [SHUTDOWN]).
    nonisolated func linger(for time: TimeAmount = .seconds(2)) async {
        let channel = channel
        channel.triggerUserOutboundEvent(SessionSignal.stopReading, promise: nil)
        channel.close(mode: .output, promise: nil)
        let deadline = channel.eventLoop.scheduleTask(in: time) { channel.close(promise: nil) }
        try? await channel.closeFuture.get()
        deadline.cancel()
    }

    func setWatching(_ watching: Bool) async {
        try? await channel.triggerUserOutboundEvent(SessionSignal.watching(watching)).get()
    }
}
