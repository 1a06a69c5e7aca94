import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

/// `caseline-bench handshakes`: full TLS handshakes per second (connect, handshake, read the greeting, close).
struct HandshakeMode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handshakes", abstract: "Full TLS handshakes per second.")

    @OptionGroup var target: Target
    @Option(help: "Seconds to measure.") var duration = 10.0
    @Option(help: "Handshakes in flight at once.") var parallel = 32

    func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let probe = target.serverPid.map(ServerProbe.init)
        let setup = LoadConnection.Setup(preamble: [], requests: ["b PING"], depth: 0, greeting: true, clp: true)
        let stats = LoadStats()
        let before = probe?.sample()
        let deadline = ContinuousClock.now + .seconds(duration)
        let started = ContinuousClock.now
        let counts = try await withThrowingTaskGroup(of: (Int, Int).self) { tasks in
            for worker in 0..<parallel {
                tasks.addTask {
                    var done = 0
                    var failed = 0
                    while ContinuousClock.now < deadline {
                        let ready = group.next().makePromise(of: Void.self)
                        let handler = LoadConnection(setup: setup, stats: stats, ready: ready, seed: worker)
                        do {
                            let bootstrap = try target.bootstrap(group: group) { $0.pipeline.addHandler(handler) }
                            let channel = try await bootstrap.connect(host: target.host, port: target.port).get()
                            try await ready.futureResult.get()
                            try await channel.close()
                            done += 1
                        } catch {
                            failed += 1
                        }
                    }
                    return (done, failed)
                }
            }
            var total = (0, 0)
            for try await (done, failed) in tasks { total = (total.0 + done, total.1 + failed) }
            return total
        }
        let elapsed = ContinuousClock.now - started
        let after = probe?.sample()
        try await group.shutdownGracefully()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var values: [(String, String)] = [
            ("handshakes", String(counts.0)), ("failed", String(counts.1)), ("parallel", String(parallel)),
            ("handshakes_per_second", String(format: "%.0f", Double(counts.0) / seconds)),
        ]
        if let before, let after, counts.0 > 0 {
            values.append(
                (
                    "server_cpu_us_per_handshake",
                    String(format: "%.1f", (after.cpuSeconds - before.cpuSeconds) / Double(counts.0) * 1e6)
                ))
        }
        target.emit(values, title: "handshakes: \(parallel) in flight")
    }
}
