import CaseLineProtocol
import NIOConcurrencyHelpers

/// Responses read from the server, waiting for the connection's task — or, while that task waits for a person
/// at the keyboard, for whoever shows live events (`takeEvents`). Bounded: past `limit` unread lines the
/// reader stops, so a client that stops reading still slows the server down through TCP, as it should.
final class ResponseBuffer: Sendable {
    private struct State {
        var items: [Swift.Result<Response, ResponseParser.Failure>] = []
        var finished = false
        /// Why reading ended, when it failed (a TLS error: an unknown certificate, say).
        var failure: (any Error)?
        var cancelled = false
        var consumer: CheckedContinuation<Void, Never>?
        var producer: CheckedContinuation<Void, Never>?
        /// The server's goodbye, kept when it arrives, so that whoever finds the connection closed can say why.
        var goodbye: Response?
    }

    private let state = NIOLockedValueBox(State())
    private let limit: Int

    init(limit: Int = 256) { self.limit = limit }

    /// Called by the reader; waits while the buffer is full (until the reader's task is cancelled).
    func append(_ item: Swift.Result<Response, ResponseParser.Failure>) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let (consumer, wait) = state.withLockedValue { state in
                    if case .success(let response) = item, case .bye = response { state.goodbye = response }
                    state.items.append(item)
                    let consumer = state.consumer
                    state.consumer = nil
                    let wait = state.items.count >= limit && !state.cancelled
                    if wait { state.producer = continuation }
                    return (consumer, wait)
                }
                consumer?.resume()
                if !wait { continuation.resume() }
            }
        } onCancel: {
            let producer = state.withLockedValue { state in
                state.cancelled = true
                defer { state.producer = nil }
                return state.producer
            }
            producer?.resume()
        }
    }

    func finish(failure: (any Error)? = nil) {
        let consumer = state.withLockedValue { state in
            state.finished = true
            state.failure = failure
            defer { state.consumer = nil }
            return state.consumer
        }
        consumer?.resume()
    }

    /// The next response; nil once the connection has ended and everything was read, or the error that ended it.
    func next() async throws -> Swift.Result<Response, ResponseParser.Failure>? {
        while true {
            if let item = take() { return item }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLockedValue { state in
                    if !state.items.isEmpty || state.finished { return true }
                    state.consumer = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
            let (ended, failure) = state.withLockedValue { ($0.items.isEmpty && $0.finished, $0.failure) }
            if ended {
                if let failure { throw failure }
                return nil
            }
        }
    }

    private func take() -> Swift.Result<Response, ResponseParser.Failure>? {
        removing { $0.items.isEmpty ? nil : $0.items.removeFirst() }
    }

    /// Takes from the front under the lock, then lets a reader that waited for room go on.
    private func removing<T>(_ body: (inout State) -> T) -> T {
        let (taken, producer) = state.withLockedValue { state -> (T, CheckedContinuation<Void, Never>?) in
            let taken = body(&state)
            let producer = state.items.count < limit ? state.producer : nil
            if producer != nil { state.producer = nil }
            return (taken, producer)
        }
        producer?.resume()
        return taken
    }

    var goodbye: Response? { state.withLockedValue { $0.goodbye } }

    /// Takes, without waiting, the front of an answer to `tag`: its records into `records`, and its completion
    /// once it is there. It stops at an event (left for `takeEvents`) or anything else; an answer longer than
    /// the buffer is taken over several calls, making room for the rest.
    func takeAnswer(tag: String, into records: inout [Record]) -> Completion? {
        var taken: [Record] = []
        let completion = removing { state -> Completion? in
            while let first = state.items.first {
                switch first {
                case .success(.record(let record)) where record.type != "EVENT":
                    taken.append(record)
                    state.items.removeFirst()
                case .success(.completion(let completion)) where completion.tag == tag:
                    state.items.removeFirst()
                    return completion
                default:
                    return nil
                }
            }
            return nil
        }
        records += taken
        return completion
    }

    /// The connection has ended (what it sent last may still wait to be read).
    var isFinished: Bool { state.withLockedValue { $0.finished } }

    /// The EVENT records at the front of the buffer, taken without waiting. Between requests that is all the
    /// server sends, so the interactive session shows them while the person types.
    func takeEvents() -> [Record] {
        removing { state in
            var events: [Record] = []
            while case .success(.record(let record))? = state.items.first, record.type == "EVENT" {
                events.append(record)
                state.items.removeFirst()
            }
            return events
        }
    }
}
