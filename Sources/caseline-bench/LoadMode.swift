import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

/// `caseline-bench load`: N connections, each with `depth` requests in flight, for a duration.
struct LoadMode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Throughput and latency of a workload at a pipeline depth.")

    enum Workload: String, ExpressibleByArgument, CaseIterable {
        case ping, reads, writes, mix, line
    }

    @OptionGroup var target: Target
    @Option(help: "ping | reads | writes | mix | line (a fixed line, e.g. redis inline PING).")
    var workload: Workload = .ping
    @Option(help: "The request line for --workload line.") var line = "PING"
    @Option(help: "Concurrent connections.") var connections = 100
    @Option(help: "Requests in flight per connection.") var depth = 16
    @Option(help: "Seconds to measure, after the warm-up.") var duration = 10.0
    @Option(help: "Seconds of warm-up, not measured.") var warmup = 2.0
    @Option(help: "API token to authenticate each connection with (AUTH); omit for --workload line.")
    var token: String?
    @Option(help: "Task id the write workload comments on.") var task = "T-1"
    @Option(help: "Commune code the read workload looks at.") var commune = "02014"
    @Option(
        help: """
            Requests per second over all connections, sent on schedule whether or not answers keep up (each \
            timed from when it was due); omit to send as fast as answers come.
            """)
    var rate: Double?

    var requests: [String] {
        let reads = ["b%d TASK LIST mine=yes", "b%d ASSIGNMENT LIST commune=\(commune)", "b%d PENDING"]
        let write = "b%d TASK COMMENT \(task) \"Ghi chú kiểm tra tiến độ số %d\""
        switch workload {
        case .ping: return ["b%d PING"]
        case .reads: return reads
        case .writes: return [write]
        case .mix: return reads + reads + reads + [write]  // 9 reads : 1 write … in 3-read cycles
        case .line: return [line]
        }
    }

    func run() async throws {
        let clp = workload != .line
        let setup = LoadConnection.Setup(
            preamble: token.map { ["p1 AUTH \($0)"] } ?? [], requests: requests, depth: depth, greeting: clp, clp: clp,
            interval: rate.map { UInt64(1e9 * Double(connections) / max($0, 1)) })
        let stats = LoadStats()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let probe = target.serverPid.map(ServerProbe.init)
        var handlers: [LoadConnection] = []
        var channels: [any Channel] = []
        var readies: [EventLoopFuture<Void>] = []
        for index in 0..<connections {
            let ready = group.next().makePromise(of: Void.self)
            let handler = LoadConnection(setup: setup, stats: stats, ready: ready, seed: index * 1_000_000_000)
            let bootstrap = try target.bootstrap(group: group) { channel in
                channel.pipeline.addHandler(handler)
            }
            channels.append(try await bootstrap.connect(host: target.host, port: target.port).get())
            handlers.append(handler)
            readies.append(ready.futureResult)
        }
        for ready in readies { try await ready.get() }
        try await Task.sleep(for: .seconds(warmup))
        let before = probe?.sample()
        let started = ContinuousClock.now
        stats.startRecording()
        try await Task.sleep(for: .seconds(duration))
        stats.stopRecording()
        let elapsed = ContinuousClock.now - started
        let after = probe?.sample()
        for (handler, channel) in zip(handlers, channels) {
            channel.eventLoop.execute { handler.stop() }
        }
        try await Task.sleep(for: .milliseconds(300))
        for channel in channels { try? await channel.close() }
        try await group.shutdownGracefully()

        let summary = stats.summary()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(summary.completed) / seconds
        func ms(_ nanoseconds: UInt64) -> String { String(format: "%.3f", Double(nanoseconds) / 1e6) }
        var values: [(String, String)] = [
            ("workload", workload.rawValue), ("connections", String(connections)), ("depth", String(depth)),
            ("offered_per_second", self.rate.map { String(format: "%.0f", $0) } ?? "max"),
            ("seconds", String(format: "%.2f", seconds)), ("requests", String(summary.completed)),
            ("requests_per_second", String(format: "%.0f", rate)), ("refused", String(summary.failed)),
            ("errors", String(summary.errors.values.reduce(0, +))),
            ("p50_ms", ms(summary.percentiles[50]!)), ("p90_ms", ms(summary.percentiles[90]!)),
            ("p99_ms", ms(summary.percentiles[99]!)), ("p999_ms", ms(summary.percentiles[99.9]!)),
            ("max_ms", ms(summary.max)),
        ]
        if let before, let after, summary.completed > 0 {
            let perRequest = (after.cpuSeconds - before.cpuSeconds) / Double(summary.completed)
            values.append(("server_cpu_us_per_request", String(format: "%.1f", perRequest * 1e6)))
            values.append(("server_rss_mb", String(format: "%.1f", Double(after.rssBytes) / 1_048_576)))
        }
        target.emit(values, title: "\(workload.rawValue): \(connections) connections × depth \(depth)")
        for (error, count) in summary.errors {
            FileHandle.standardError.write(Data("error ×\(count): \(error)\n".utf8))
        }
    }
}
