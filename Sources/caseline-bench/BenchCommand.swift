import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Where to connect and how: shared by every mode.
struct Target: ParsableArguments {
    @Option(help: "Server address.") var host = "127.0.0.1"
    @Option(help: "Server port.") var port: Int
    @Option(help: "PEM file of the certificate to trust (default: no verification; loopback benchmarks only).")
    var ca: String?
    @Option(help: "Process id of the server, to read its CPU time and memory from /proc.") var serverPid: Int32?
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func bootstrap(group: any EventLoopGroup, handler: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>)
        throws
        -> ClientBootstrap
    {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let ca {
            tls.trustRoots = .file(ca)
            tls.certificateVerification = .noHostnameVerification
        } else {
            tls.certificateVerification = .none
        }
        let context = try NIOSSLContext(configuration: tls)
        return ClientBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                do {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: context, serverHostname: nil))
                    return handler(channel)
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
    }

    func emit(_ values: [(String, String)], title: String) {
        if json {
            let body = values.map { "\"\($0.0)\":\(Double($0.1) != nil ? $0.1 : "\"\($0.1)\"")" }.joined(separator: ",")
            print("{\(body)}")
        } else {
            print(title)
            for (key, value) in values { print("  \(key.padding(toLength: 28, withPad: " ", startingAt: 0)) \(value)") }
        }
    }
}

@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caseline-bench",
        abstract: "Load generator for CaseLine (and, for comparison, any line protocol such as redis inline).",
        subcommands: [LoadMode.self, IdleMode.self, HandshakeMode.self])
}
