import Logging
import PostgresNIO

/// How a node learns that any node committed events: `LISTEN caseline_events` on one connection of the pool
/// (the journal's `pg_notify` reaches every listener once its transaction commits), and a tick every
/// `catchUp` whatever happens, because notifications are not durable: those sent while this node was
/// reconnecting are lost, and the periodic read finds their events. A tick carries nothing; the event hub
/// reads what is new after the last number it has, so merged, late or extra ticks lose and repeat nothing.
final class EventNotifications: Sendable {
    let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let listener: Task<Void, Never>
    private let poller: Task<Void, Never>

    init(client: PostgresClient, logger: Logger, catchUp: Duration = .seconds(2)) {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.stream = stream
        self.continuation = continuation
        listener = Task {
            var pause = Duration.milliseconds(100)
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: Journal.channel) { notifications in
                            pause = .milliseconds(100)
                            // Listening from now on: what committed before is read at once.
                            continuation.yield()
                            for try await _ in notifications { continuation.yield() }
                        }
                    }
                } catch {
                    if Task.isCancelled { break }
                    logger.warning(
                        "listening for other nodes' events failed; retrying", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
        poller = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: catchUp)
                continuation.yield()
            }
        }
    }

    func stop() async {
        listener.cancel()
        poller.cancel()
        await listener.value
        await poller.value
        continuation.finish()
    }
}
