import ArgumentParser
import CaseLineDomain
import CaseLineServer
import CaseLineStore
import Foundation
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import UnixSignals

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a data directory made by `init`.",
        discussion: """
            Settings come from DIR/caseline.conf, then CASELINE_… environment variables (listen.port →
            CASELINE_LISTEN_PORT), then these flags. SIGTERM or SIGINT stops the server gracefully.
            """)

    @Option(name: .long, help: "The data directory.")
    var data: String

    @OptionGroup var overrides: ServeOverrides

    func run() async throws {
        try await Serving.run(directory: DataDirectory(url: URL(fileURLWithPath: data)), overrides: overrides)
    }
}

struct ServeOverrides: ParsableArguments {
    @Option(name: .long, help: "Listen address (overrides listen.host).")
    var host: String?

    @Option(name: .long, help: "Listen port (overrides listen.port; 0 picks a free port).")
    var port: Int?

    @Option(name: .long, help: "trace | debug | info | notice | warning | error | critical (overrides log.level).")
    var logLevel: String?

    @Option(
        name: .long,
        help: """
            A shared PostgreSQL store, postgres://USER@HOST:PORT/DATABASE (overrides store.url); its password comes \
            from store.password-file or CASELINE_STORE_PASSWORD, never from this line.
            """)
    var store: String?
}

enum Serving {
    static func run(directory: DataDirectory, overrides: ServeOverrides, banner: (@Sendable (String) -> Void)? = nil)
        async throws
    {
        guard directory.exists else {
            throw CLIError(
                "\(directory.url.path) is not a CaseLine data directory; create one with `caseline-server init`")
        }
        var settings = try directory.loadConfiguration(environment: ProcessInfo.processInfo.environment)
        if let host = overrides.host { try ConfigurationLoader.set("listen.host", to: host, in: &settings) }
        if let port = overrides.port {
            try ConfigurationLoader.set("listen.port", to: String(port), in: &settings)
        }
        if let level = overrides.logLevel { try ConfigurationLoader.set("log.level", to: level, in: &settings) }
        if let url = overrides.store { try ConfigurationLoader.set("store.url", to: url, in: &settings) }
        try ConfigurationLoader.validate(settings)
        let configuration = settings.server

        let level = Logger.Level(rawValue: configuration.log.level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "caseline.server")

        let certificatePath = directory.resolve(configuration.tls.certificate).path
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        let key = try NIOSSLPrivateKey(file: directory.resolve(configuration.tls.key).path, format: .pem)
        let fingerprint = try CertificateFactory.fingerprint(
            pem: String(contentsOfFile: certificatePath, encoding: .utf8))
        let tls = CaseLineServer.tlsConfiguration(
            certificateChain: chain, privateKey: key, clientCertificates: configuration.tls.clientCertificates)

        let opened = try await directory.openStore(settings.store)
        let store = opened.store
        logger.info(
            "store opened",
            metadata: ["caseline.store": "\(opened.location)", "caseline.durability": "\(opened.durability)"])
        // A data directory made before units were part of the store (or emptied by hand) gets the bundled ones.
        if try await store.units().units.isEmpty {
            let (units, links) = try UnitResource.bundled()
            try await store.replaceUnits(
                units, links: links,
                audit: AuditEntry(
                    actor: .system("serve"), command: "serve", entity: "unit:*",
                    change: "loaded \(units.count) units and \(links.count) lineage links (the store had none)"))
            logger.notice("loaded the bundled administrative units", metadata: ["caseline.units": "\(units.count)"])
        }
        let configuredPort = configuration.listen.port
        let server = try await CaseLineServer(
            configuration: configuration, store: store, tls: tls, logger: logger,
            onBound: { address in
                logger.info(
                    "ready",
                    metadata: ["caseline.address": "\(address)", "caseline.certificate-sha256": "\(fingerprint)"])
                banner?("\(address.port ?? configuredPort)|\(fingerprint)")
            })
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: server)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // The server closes what is still open when `shutdown.grace` ends; the group's own limit, a little
        // later, only backs that up.
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdown.grace + .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        do {
            try await group.run()
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
        logger.info("stopped")
    }
}
