import CaseLineProtocol
import NIOCore

/// The one way out of a session: responses from the request loop and events from the session's event pump.
/// Events are written only between complete responses (CLP1.md §8): while a request runs, the pump waits,
/// and so do its events, in the session's bounded event queue, where a reader that falls behind shows.
actor SessionOutput {
    private let outbound: NIOAsyncChannelOutboundWriter<Response>
    private let channel: any Channel
    private var responding = false
    private var closing = false
    private var waitingPump: [CheckedContinuation<Void, Never>] = []
    /// The last event whose write completed: a client that reads a `BYE` after it has every event up to it.
    private(set) var lastEventSent: Int64 = 0
    /// An event write under way, and who waits for it to end (the slow-consumer goodbye must come after it).
    private var writing = false
    private var writeEnded: [CheckedContinuation<Void, Never>] = []

    init(outbound: NIOAsyncChannelOutboundWriter<Response>, channel: any Channel) {
        self.outbound = outbound
        self.channel = channel
    }

    func beginResponse() { responding = true }

    /// Part of the running request's answer (a `WATCH` backlog is written page by page).
    func write(_ responses: [Response]) async throws {
        try await outbound.write(contentsOf: responses)
    }

    func finishResponse(_ responses: [Response]) async throws {
        defer {
            responding = false
            let pump = waitingPump
            waitingPump = []
            for continuation in pump { continuation.resume() }
        }
        try await outbound.write(contentsOf: responses)
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
        try await outbound.write(.record(record))
        lastEventSent = sequence
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
        try? await outbound.write(
            .bye(
                code: "SLOW-CONSUMER", details: [Field("last-seq", String(lastEventSent))],
                text: "events were not read fast enough; WATCH again with since=\(lastEventSent)"))
        // No close here: closing fails whatever NIO still holds for the socket, the goodbye included. The
        // client closes once it has read it, or the deadline above does.
    }

    func setWatching(_ watching: Bool) async {
        try? await channel.triggerUserOutboundEvent(SessionSignal.watching(watching)).get()
    }
}
