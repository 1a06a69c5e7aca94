import NIOConcurrencyHelpers

/// The bytes of one session's answers that have been handed to the connection but not yet written to the
/// socket, and the writers waiting for them to drain (CLP1.md §9, `limits.outbound-buffer`).
///
/// NIO's own writability could not enforce the limit: a write from the session task reaches the channel only
/// when the event loop runs it, so a client that never read let the session queue answer after answer as
/// event-loop tasks, tens of megabytes of them, before the channel ever reported itself unwritable (and the
/// event loop, busy encoding them, stalled every other connection on it). Here a write counts from the moment
/// it is handed over until NIO reports it written (or failed), so what one session holds is bounded by the
/// limit plus the answer being written, whatever the event loop is doing. A lock, not an actor: the count is
/// decremented from the event loop on every write's completion, which must not cost a task hop.
final class OutboundBudget: Sendable {
    private struct State {
        var inFlight = 0
        var closed = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    let limit: Int
    private let state = NIOLockedValueBox(State())

    init(limit: Int) { self.limit = max(1, limit) }

    var inFlight: Int { state.withLockedValue { $0.inFlight } }

    /// Counts `bytes` as handed over; false once the connection has closed (nothing more may be sent).
    func take(_ bytes: Int) -> Bool {
        state.withLockedValue { state in
            guard !state.closed else { return false }
            state.inFlight += bytes
            return true
        }
    }

    /// `bytes` were written (or will never be): waiters resume once half the limit is free again.
    func release(_ bytes: Int) {
        let resume: [CheckedContinuation<Void, Never>] = state.withLockedValue { state in
            state.inFlight -= bytes
            guard state.inFlight <= limit / 2, !state.waiters.isEmpty else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in resume { waiter.resume() }
    }

    /// Returns at once while under the limit; otherwise waits until half of it has drained or the connection
    /// closes. The caller stops producing meanwhile, so the session stops reading requests too.
    func waitForRoom() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLockedValue { state in
                if state.closed || state.inFlight <= limit { return true }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// The connection has closed: nothing is sent any more and nobody waits.
    func close() {
        let resume: [CheckedContinuation<Void, Never>] = state.withLockedValue { state in
            state.closed = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in resume { waiter.resume() }
    }
}
