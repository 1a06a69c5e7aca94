import GRDB

/// Group commit: writes that arrive while a commit is on its way to the disk wait for it, then go to the
/// disk together in one transaction — one fsync for all of them instead of one each. Every write runs in a
/// savepoint of its own, so one that fails (a conflict, a duplicate) is rolled back alone while the others
/// commit. A write is answered only after its transaction is durable, as before; only the waiting is shared.
actor GroupCommit {
    /// One write: runs inside the shared transaction and returns how to answer its caller once the
    /// transaction has committed (or failed).
    private struct Job: Sendable {
        let run: @Sendable (Database) -> @Sendable (Result<Void, any Error>) -> Void
        let fail: @Sendable (any Error) -> Void
    }

    private let writer: any DatabaseWriter
    private var pending: [Job] = []
    private var draining = false

    init(writer: any DatabaseWriter) { self.writer = writer }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            pending.append(
                Job(
                    run: { db in
                        let outcome: Result<T, any Error>
                        do {
                            var value: T?
                            try db.inSavepoint {
                                value = try body(db)
                                return .commit
                            }
                            outcome = .success(value!)
                        } catch {
                            outcome = .failure(error)
                        }
                        return { committed in
                            switch committed {
                            case .success: continuation.resume(with: outcome)
                            case .failure(let error): continuation.resume(throwing: error)
                            }
                        }
                    },
                    fail: { continuation.resume(throwing: $0) }))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    /// Commits what is pending, batch after batch, until nothing waits.
    private func drain() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            do {
                let answers = try await writer.write { db in batch.map { $0.run(db) } }
                for answer in answers { answer(.success(())) }
            } catch {
                for job in batch { job.fail(error) }
            }
        }
        draining = false
    }
}
