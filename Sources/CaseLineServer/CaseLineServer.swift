import CaseLineDomain
import CaseLineProtocol
public import CaseLineStore
import Crypto
public import Foundation
public import Logging
import NIOConcurrencyHelpers
public import NIOCore
public import NIOPosix
public import NIOSSL
public import ServiceLifecycle

/// The CLP/1 server as a swift-service-lifecycle `Service`: it accepts TLS connections until graceful
/// shutdown, then stops accepting, lets every session finish the command it is running, says
/// `* BYE [SHUTDOWN]` and returns once all sessions have closed.
public final class CaseLineServer: Service {
    private let configuration: ServerConfiguration
    private let tls: TLSConfiguration
    private let group: any EventLoopGroup
    private let environment: ServerEnvironment
    private let onBound: @Sendable (SocketAddress) -> Void

    public init(
        configuration: ServerConfiguration,
        store: any Store,
        tls: TLSConfiguration,
        logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        threadPool: NIOThreadPool = .singleton,
        clock: @escaping @Sendable () -> Date = { Date() },
        onBound: @escaping @Sendable (SocketAddress) -> Void = { _ in }
    ) async throws {
        self.configuration = configuration
        self.tls = tls
        self.group = group
        self.onBound = onBound
        let hasher = PasswordHasher(parameters: configuration.auth.kdf, pool: threadPool)
        let loaded = try await store.units()
        let units = UnitDirectory(units: loaded.units, links: loaded.links)
        let metrics = ServerMetrics()
        self.environment = ServerEnvironment(
            configuration: configuration, store: store, hasher: hasher,
            registry: ConnectionRegistry(
                maxConnections: configuration.limits.maxConnections,
                maxPerAddress: configuration.limits.maxConnectionsPerAddress,
                maxSessionsPerUser: configuration.limits.maxSessionsPerUser),
            events: EventHub(store: store, units: units, logger: logger, metrics: metrics),
            addressFailures: AddressFailures(), metrics: metrics, commands: .v1, units: units, logger: logger,
            decoyHash: try await hasher.decoy(), clock: clock)
    }

    /// The TLS settings CLP/1 requires: TLS 1.2 or later, forward-secret AEAD suites only.
    public static func tlsConfiguration(
        certificateChain: [NIOSSLCertificate], privateKey: NIOSSLPrivateKey,
        clientCertificates: ServerConfiguration.TLS.ClientCertificates
    ) -> TLSConfiguration {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificateChain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        tls.minimumTLSVersion = .tlsv12
        tls.cipherSuites = [
            "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
            "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
        ].joined(separator: ":")
        tls.certificateVerification = clientCertificates == .optional ? .optionalVerification : .none
        return tls
    }

    /// Requests come in through the async channel; everything going out goes through `SessionOutput`, which
    /// counts it against the session's outbound budget, so the channel's own writer is not used.
    typealias Connection = NIOAsyncChannel<Result<Command, ProtocolError>, Never>

    public func run() async throws {
        let configuration = configuration
        let sslContext = try NIOSSLContext(configuration: tls)
        let mutualTLS = configuration.tls.clientCertificates == .optional
        let outbound = configuration.limits.outboundBufferBytes
        var bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: outbound / 2, high: outbound))
        if configuration.limits.sendBufferBytes > 0 {
            bootstrap = bootstrap.childChannelOption(
                .socketOption(.so_sndbuf), value: SocketOptionValue(configuration.limits.sendBufferBytes))
        }
        let listener =
            try await bootstrap
            .bind(host: configuration.listen.host, port: configuration.listen.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handshake = channel.eventLoop.makePromise(of: Void.self)
                    let pipeline = channel.pipeline.syncOperations
                    let tlsHandler =
                        mutualTLS
                        ? NIOSSLServerHandler(context: sslContext) { _, promise in
                            // Client certificates are matched by fingerprint to a user, not to a CA.
                            promise.succeed(.certificateVerified)
                        } : NIOSSLServerHandler(context: sslContext)
                    try pipeline.addHandler(ForcedCloseHandler())
                    try pipeline.addHandler(PlaintextGuard())
                    try pipeline.addHandler(tlsHandler)
                    try pipeline.addHandler(
                        HandshakeHandler(
                            timeout: TimeAmount(configuration.tls.handshakeTimeout), completed: handshake))
                    try pipeline.addHandler(
                        ByteToMessageHandler(
                            RequestDecoder(limits: configuration.limits.framing, table: CommandRegistry.table))
                    )
                    try pipeline.addHandler(ResponseWriter())
                    try pipeline.addHandler(
                        SessionTimeoutHandler(
                            loginTimeout: TimeAmount(configuration.timeouts.login),
                            idleTimeout: TimeAmount(configuration.timeouts.idle)))
                    let connection = try Connection(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(
                            backPressureStrategy: .init(
                                lowWatermark: max(1, configuration.limits.maxInflight / 2),
                                highWatermark: configuration.limits.maxInflight)))
                    return (connection, handshake.futureResult)
                }
            }
        if let address = listener.channel.localAddress {
            onBound(address)
            environment.logger.info(
                "listening", metadata: ["caseline.address": "\(address)", "caseline.tls": "TLS 1.2+"])
        }
        // Events and deadlines run beside the sessions and stop after the last one.
        let environment = environment
        let background = Task {
            await withDiscardingTaskGroup { background in
                background.addTask { await environment.events.follow() }
                background.addTask { await DeadlineScheduler(environment: environment).run() }
            }
        }
        defer { background.cancel() }
        let grace = configuration.shutdown.grace
        let registry = environment.registry
        let logger = environment.logger
        let forceClose = NIOLockedValueBox<Task<Void, Never>?>(nil)
        defer { forceClose.withLockedValue { $0?.cancel() } }
        try await withThrowingDiscardingTaskGroup { group in
            // On graceful shutdown the listening socket is closed rather than the loop cancelled: connections
            // already accepted are still handed over and served (each is told BYE [SHUTDOWN]); a cancelled
            // loop dropped them half made, and NIO trapped on their unfinished writers (SIGILL).
            try await withGracefulShutdownHandler {
                try await listener.executeThenClose { inbound in
                    for try await (connection, handshake) in inbound {
                        group.addTask { await self.serve(connection, handshake: handshake) }
                    }
                }
            } onGracefulShutdown: {
                listener.channel.close(promise: nil)
                // After the grace period, whatever is still open is closed, written or not: a client that
                // does not read cannot hold the server past `shutdown.grace`.
                forceClose.withLockedValue {
                    $0 = Task {
                        try? await Task.sleep(for: grace)
                        guard !Task.isCancelled else { return }
                        let closed = await registry.closeAll()
                        if closed > 0 {
                            logger.notice(
                                "grace period over; closing the sessions still open",
                                metadata: ["caseline.sessions": "\(closed)"])
                        }
                    }
                }
            }
            environment.logger.info("no longer accepting connections; finishing open sessions")
        }
        environment.logger.info("all sessions closed")
    }

    private func serve(_ connection: Connection, handshake: EventLoopFuture<Void>) async {
        let env = environment
        let channel = connection.channel
        let address = channel.remoteAddress?.ipAddress ?? "unknown"
        do {
            try await handshake.get()
        } catch {
            env.logger.debug(
                "TLS handshake failed", metadata: ["caseline.peer": "\(address)", "caseline.error": "\(error)"])
            try? await connection.executeThenClose { _, _ in }
            return
        }
        let output = SessionOutput(channel: channel, outboundLimit: env.configuration.limits.outboundBufferBytes)
        guard let id = await env.registry.admit(address: address, channel: channel) else {
            env.metrics.connectionRefused("limit")
            try? await connection.executeThenClose { _, _ in
                try await output.write([.bye(code: ErrorCode.tooManyConnections.rawValue, text: "too many connections")]
                )
            }
            return
        }
        env.metrics.connectionOpened()
        env.metrics.activeConnections(await env.registry.connectionCount)
        env.logger.info("connection opened", metadata: ["caseline.conn": "\(id)", "caseline.peer": "\(address)"])
        var session = SessionState(connectionID: id, address: address)
        session.output = output
        do {
            try await connection.executeThenClose { inbound, _ in
                if Task.isShuttingDownGracefully {
                    // Accepted just as the server began to stop: it is told so at once, and served nothing.
                    try await output.write([
                        .bye(code: ErrorCode.shutdown.rawValue, text: "the server is shutting down")
                    ])
                    await output.linger()
                    return
                }
                if var auth = await certificateLogin(channel) {
                    if let serial = await env.registry.startSession(user: auth.user.login) {
                        auth.serial = serial
                        auth.userVersion =
                            await env.registry.status(user: auth.user.login, serial: serial, token: nil).userVersion
                        session.auth = auth
                        try await channel.triggerUserOutboundEvent(SessionSignal.authenticated).get()
                    }
                }
                try await output.write([.record(env.greeting(auth: session.auth))])
                // On a graceful shutdown the session stops reading and runs no request it has not started (CLP1.md
                // §3). A handler rather than `cancelOnGracefulShutdown()`, whose merge kept two tasks per session.
                let stopping = NIOLockedValueBox(false)
                let closeAfter = try await withGracefulShutdownHandler {
                    for try await request in inbound {
                        if stopping.withLockedValue({ $0 }) { break }
                        let wasAuthenticated = session.auth != nil
                        await output.beginResponse()
                        let outcome = await Dispatcher.handleApart(request, env: env, session: &session)
                        try await output.finishResponse(outcome.responses)
                        if !wasAuthenticated && session.auth != nil {
                            try await channel.triggerUserOutboundEvent(SessionSignal.authenticated).get()
                        }
                        if outcome.close { return true }
                    }
                    return false
                } onGracefulShutdown: {
                    stopping.withLockedValue { $0 = true }
                    channel.triggerUserOutboundEvent(SessionSignal.stopReading, promise: nil)
                }
                if closeAfter {
                    await output.linger()
                    return
                }
                if Task.isShuttingDownGracefully {
                    try await output.write([
                        .bye(code: ErrorCode.shutdown.rawValue, text: "the server is shutting down")
                    ])
                    await output.linger()
                }
            }
        } catch {
            if !(error is NIOSSLError && "\(error)".contains("uncleanShutdown")) {
                env.logger.debug(
                    "connection error", metadata: ["caseline.conn": "\(id)", "caseline.error": "\(error)"])
            }
        }
        await env.events.leave(connection: id)
        session.eventPump?.cancel()
        if let user = session.user { await env.registry.endSession(user: user.login) }
        await env.registry.release(address: address, id: id)
        env.metrics.activeConnections(await env.registry.connectionCount)
        env.logger.info("connection closed", metadata: ["caseline.conn": "\(id)"])
    }

    /// A client certificate whose SHA-256 an admin mapped to a user logs the session in.
    private func certificateLogin(_ channel: any Channel) async -> SessionState.Authentication? {
        guard configuration.tls.clientCertificates == .optional,
            let certificate = try? await channel.nioSSL_peerCertificate().get(),
            let der = try? certificate.toDERBytes()
        else { return nil }
        let fingerprint = Hex.string(SHA256.hash(data: der))
        guard let user = try? await environment.store.user(certificateFingerprint: fingerprint), !user.disabled else {
            return nil
        }
        return SessionState.Authentication(user: user, method: .certificate)
    }
}
