import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

/// `caseline-bench idle`: opens N sessions, authenticates them, holds them, and reports the server's memory.
struct IdleMode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idle", abstract: "Server memory with many idle TLS sessions.")

    @OptionGroup var target: Target
    @Option(help: "Sessions to hold open.") var connections = 10_000
    @Option(help: "API token to authenticate each session with (AUTH); without it the sessions stay greeted only.")
    var token: String?
    @Option(help: "Connections opened at the same time.") var parallel = 64

    func run() async throws {
        let probe = target.serverPid.map(ServerProbe.init)
        let baseline = probe?.sample()
        let setup = LoadConnection.Setup(
            preamble: token.map { ["p1 AUTH \($0)"] } ?? [], requests: ["b%d PING"], depth: 0, greeting: true, clp: true
        )
        let stats = LoadStats()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var channels: [any Channel] = []
        let started = ContinuousClock.now
        var opened = 0
        while opened < connections {
            let batch = min(parallel, connections - opened)
            let base = opened
            try await withThrowingTaskGroup(of: (any Channel).self) { tasks in
                for index in 0..<batch {
                    tasks.addTask {
                        let ready = group.next().makePromise(of: Void.self)
                        let handler = LoadConnection(setup: setup, stats: stats, ready: ready, seed: base + index)
                        let bootstrap = try target.bootstrap(group: group) { $0.pipeline.addHandler(handler) }
                        let channel = try await bootstrap.connect(host: target.host, port: target.port).get()
                        try await ready.futureResult.get()
                        return channel
                    }
                }
                for try await channel in tasks { channels.append(channel) }
            }
            opened += batch
        }
        let openSeconds = (ContinuousClock.now - started).components.seconds
        try await Task.sleep(for: .seconds(2))
        let held = probe?.sample()
        var values: [(String, String)] = [
            ("sessions", String(channels.count)), ("authenticated", token == nil ? "no" : "yes"),
            ("seconds_to_open", String(openSeconds)),
        ]
        if let baseline, let held {
            let growth = Double(held.rssBytes - baseline.rssBytes)
            values += [
                ("server_rss_before_mb", String(format: "%.1f", Double(baseline.rssBytes) / 1_048_576)),
                ("server_rss_mb", String(format: "%.1f", Double(held.rssBytes) / 1_048_576)),
                ("server_kb_per_session", String(format: "%.1f", growth / 1024 / Double(max(1, channels.count)))),
            ]
        }
        target.emit(values, title: "idle: \(channels.count) sessions")
        for channel in channels { try? await channel.close() }
        try await group.shutdownGracefully()
    }
}
