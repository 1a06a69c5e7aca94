import CaseLineDomain
import CaseLineProtocol
import Foundation

/// Reads the configuration file (`key = value` lines, `#` comments), then `CASELINE_…` environment
/// variables, each overriding the one before. Unknown keys and bad values are errors with a line number,
/// never silently ignored: a typo in a security setting must not fall back to a default unnoticed.
public enum ConfigurationLoader {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Every key, its default as written in a fresh file, and a comment. `caseline-server init` writes these.
    public static let keys: [(key: String, comment: String)] = [
        ("listen.host", "Address to listen on (0.0.0.0 = every IPv4 address, :: = every address)."),
        ("listen.port", "TCP port of the TLS listener (CLP/1 over implicit TLS)."),
        ("tls.certificate", "PEM certificate chain, relative to the data directory."),
        ("tls.key", "PEM private key, relative to the data directory. Keep it 0600."),
        (
            "tls.client-certificates",
            "none | optional: ask clients for a certificate; a mapped one logs the session in."
        ),
        ("tls.handshake-timeout", "Seconds for a client to complete the TLS handshake."),
        ("limits.max-line", "Longest request line in bytes (literals not counted)."),
        ("limits.max-literal", "Largest literal in bytes."),
        ("limits.max-command", "Largest request (lines and literals) in bytes."),
        ("limits.max-inflight", "Requests read ahead of their answers; past it the server stops reading."),
        ("limits.max-connections", "Connections in total."),
        ("limits.max-connections-per-address", "Connections from one client address."),
        ("limits.max-sessions-per-user", "Authenticated sessions of one user."),
        ("limits.bad-commands-before-login", "BAD answers before authentication, then the connection is closed."),
        ("limits.bad-commands", "BAD answers in an authenticated session, then the connection is closed."),
        ("limits.outbound-buffer", "Bytes of unread answers held for a client before its requests stop being read."),
        ("limits.send-buffer", "Kernel send buffer per connection in bytes; 0 = the system's autotuning."),
        ("timeouts.login", "Seconds to authenticate after connecting."),
        ("timeouts.idle", "Seconds without a request before an idle session is closed."),
        (
            "auth.lock-after-failures",
            "Failed logins of one user name from one client address before that address is locked out of it."
        ),
        ("auth.lock-minutes", "How long such a lock lasts; it ends by itself (an admin may lift it earlier)."),
        (
            "auth.address-lock-after-failures",
            "Failed logins from one client address, any names, before it is refused every login (lock-minutes)."
        ),
        ("auth.failure-delay-ms", "Delay of the first failed login's answer; it doubles with each failure."),
        ("auth.failure-delay-max-ms", "Longest failed-login delay; must stay below timeouts.login."),
        ("auth.scrypt-log-n", "scrypt cost for new password hashes: N = 2^this (15 ≈ 0.1 s and 32 MiB)."),
        ("store.path", "SQLite database file, relative to the data directory."),
        ("log.level", "trace | debug | info | notice | warning | error | critical"),
        ("shutdown.grace", "Seconds to finish in-flight commands on SIGTERM before closing."),
        ("events.retention-days", "Days events are kept; WATCH since= an older event gets RESYNC-REQUIRED."),
        ("events.queue", "Events waiting for one watcher that does not read; past it: BYE [SLOW-CONSUMER]."),
        ("events.max-watches", "WATCHes one session may hold."),
        ("events.deadline-soon-days", "Days before a task's due date that task.deadline-soon is raised."),
        ("events.deadline-check", "Seconds between two looks for deadlines (and for expired events)."),
    ]

    public static func value(of key: String, in configuration: ServerConfiguration) -> String {
        let c = configuration
        switch key {
        case "listen.host": return c.host
        case "listen.port": return String(c.port)
        case "tls.certificate": return c.certificatePath
        case "tls.key": return c.privateKeyPath
        case "tls.client-certificates": return c.clientCertificates.rawValue
        case "tls.handshake-timeout": return String(c.handshakeTimeoutSeconds)
        case "limits.max-line": return String(c.limits.maxLineBytes)
        case "limits.max-literal": return String(c.limits.maxLiteralBytes)
        case "limits.max-command": return String(c.limits.maxCommandBytes)
        case "limits.max-inflight": return String(c.maxInflight)
        case "limits.max-connections": return String(c.maxConnections)
        case "limits.max-connections-per-address": return String(c.maxConnectionsPerAddress)
        case "limits.max-sessions-per-user": return String(c.maxSessionsPerUser)
        case "limits.send-buffer": return String(c.sendBufferBytes)
        case "events.retention-days": return String(c.eventRetentionDays)
        case "events.queue": return String(c.eventQueue)
        case "events.max-watches": return String(c.maxWatches)
        case "events.deadline-soon-days": return String(c.deadlineSoonDays)
        case "events.deadline-check": return String(c.deadlineCheckSeconds)
        case "limits.bad-commands-before-login": return String(c.badCommandsBeforeLogin)
        case "limits.bad-commands": return String(c.badCommands)
        case "limits.outbound-buffer": return String(c.outboundBufferBytes)
        case "timeouts.login": return String(c.loginTimeoutSeconds)
        case "timeouts.idle": return String(c.idleTimeoutSeconds)
        case "auth.lock-after-failures": return String(c.throttle.lockAfterFailures)
        case "auth.lock-minutes": return String(c.throttle.lockMinutes)
        case "auth.address-lock-after-failures": return String(c.throttle.addressLockAfterFailures)
        case "auth.failure-delay-ms": return String(c.throttle.baseDelayMilliseconds)
        case "auth.failure-delay-max-ms": return String(c.throttle.maximumDelayMilliseconds)
        case "auth.scrypt-log-n": return String(c.kdf.logN)
        case "store.path": return c.storePath
        case "log.level": return c.logLevel
        case "shutdown.grace": return String(c.shutdownGraceSeconds)
        default: return ""
        }
    }

    public static func set(_ key: String, to raw: String, in c: inout ServerConfiguration) throws(Failure) {
        func int(_ range: ClosedRange<Int>) throws(Failure) -> Int {
            guard let number = Int(raw), range.contains(number) else {
                throw Failure(
                    description:
                        "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(raw)")
            }
            return number
        }
        switch key {
        case "listen.host": c.host = raw
        case "listen.port": c.port = try int(0...65535)
        case "tls.certificate": c.certificatePath = raw
        case "tls.key": c.privateKeyPath = raw
        case "tls.client-certificates":
            guard let value = ServerConfiguration.ClientCertificates(rawValue: raw) else {
                throw Failure(description: "tls.client-certificates must be none or optional, not \(raw)")
            }
            c.clientCertificates = value
        case "tls.handshake-timeout": c.handshakeTimeoutSeconds = try int(1...300)
        case "limits.max-line":
            c.limits = ProtocolLimits(
                maxLineBytes: try int(ProtocolLimits.minimumLineBytes...1 << 20),
                maxLiteralBytes: c.limits.maxLiteralBytes, maxCommandBytes: c.limits.maxCommandBytes)
        case "limits.max-literal":
            c.limits = ProtocolLimits(
                maxLineBytes: c.limits.maxLineBytes, maxLiteralBytes: try int(0...1 << 30),
                maxCommandBytes: c.limits.maxCommandBytes)
        case "limits.max-command":
            c.limits = ProtocolLimits(
                maxLineBytes: c.limits.maxLineBytes, maxLiteralBytes: c.limits.maxLiteralBytes,
                maxCommandBytes: try int(ProtocolLimits.minimumLineBytes...1 << 30))
        case "limits.max-inflight": c.maxInflight = try int(1...4096)
        case "limits.max-connections": c.maxConnections = try int(1...1_000_000)
        case "limits.send-buffer": c.sendBufferBytes = try int(0...1 << 28)
        case "events.retention-days": c.eventRetentionDays = try int(1...3650)
        case "events.queue": c.eventQueue = try int(16...1_000_000)
        case "events.max-watches": c.maxWatches = try int(1...256)
        case "events.deadline-soon-days": c.deadlineSoonDays = try int(0...365)
        case "events.deadline-check": c.deadlineCheckSeconds = try int(1...86_400)
        case "limits.max-connections-per-address": c.maxConnectionsPerAddress = try int(1...1_000_000)
        case "limits.max-sessions-per-user": c.maxSessionsPerUser = try int(1...1_000_000)
        case "limits.bad-commands-before-login": c.badCommandsBeforeLogin = try int(1...1000)
        case "limits.bad-commands": c.badCommands = try int(1...100_000)
        case "limits.outbound-buffer": c.outboundBufferBytes = try int(4096...1 << 30)
        case "timeouts.login": c.loginTimeoutSeconds = try int(1...3600)
        case "timeouts.idle": c.idleTimeoutSeconds = try int(1...86400 * 7)
        case "auth.lock-after-failures": c.throttle.lockAfterFailures = try int(1...1000)
        case "auth.lock-minutes": c.throttle.lockMinutes = try int(1...1440)
        case "auth.address-lock-after-failures": c.throttle.addressLockAfterFailures = try int(1...100_000)
        case "auth.failure-delay-ms": c.throttle.baseDelayMilliseconds = try int(0...60_000)
        case "auth.failure-delay-max-ms": c.throttle.maximumDelayMilliseconds = try int(0...600_000)
        case "auth.scrypt-log-n": c.kdf.logN = try int(10...20)
        case "store.path": c.storePath = raw
        case "log.level":
            guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(raw) else {
                throw Failure(description: "log.level must be trace, debug, info, notice, warning, error or critical")
            }
            c.logLevel = raw
        case "shutdown.grace": c.shutdownGraceSeconds = try int(0...3600)
        default:
            throw Failure(description: "unknown setting \(key)")
        }
    }

    /// Rules between settings, checked once every source has been applied.
    public static func validate(_ c: ServerConfiguration) throws(Failure) {
        // A wrong password's answer must arrive before the login timeout closes the connection, or the
        // client sees BYE [LOGIN-TIMEOUT] instead of NO [AUTH-FAILED] (it did when both were 30 s).
        if c.throttle.maximumDelayMilliseconds >= c.loginTimeoutSeconds * 1000 {
            throw Failure(
                description:
                    "auth.failure-delay-max-ms (\(c.throttle.maximumDelayMilliseconds)) must be below timeouts.login "
                    + "(\(c.loginTimeoutSeconds) s = \(c.loginTimeoutSeconds * 1000) ms)")
        }
    }

    /// Applies a configuration file's text.
    public static func apply(file text: String, named name: String, to configuration: inout ServerConfiguration)
        throws(Failure)
    {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = content.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let parts = trimmed.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw Failure(description: "\(name):\(number + 1): expected key = value")
            }
            do {
                try set(parts[0], to: parts[1], in: &configuration)
            } catch {
                throw Failure(description: "\(name):\(number + 1): \(error.description)")
            }
        }
    }

    /// `CASELINE_LISTEN_PORT=7433` sets `listen.port`: upper case, `.` and `-` become `_`.
    public static func environmentName(for key: String) -> String {
        "CASELINE_" + key.uppercased().replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "-", with: "_")
    }

    public static func apply(environment: [String: String], to configuration: inout ServerConfiguration) throws(Failure)
    {
        for (key, _) in keys {
            if let raw = environment[environmentName(for: key)] {
                do {
                    try set(key, to: raw, in: &configuration)
                } catch {
                    throw Failure(description: "\(environmentName(for: key)): \(error.description)")
                }
            }
        }
    }

    /// The text of a fresh configuration file: every key with its default, commented.
    public static func defaultFile(for configuration: ServerConfiguration) -> String {
        var text = """
            # CaseLine server configuration. Every setting is shown with its default.
            # Each can also be set by an environment variable (listen.port → CASELINE_LISTEN_PORT) or a flag;
            # flags win over the environment, which wins over this file. Paths are relative to this directory.

            """
        var section = ""
        for (key, comment) in keys {
            let head = String(key.split(separator: ".")[0])
            if head != section {
                text += "\n"
                section = head
            }
            text += "# \(comment)\n\(key) = \(value(of: key, in: configuration))\n"
        }
        return text
    }
}
