import CaseLineDomain
import CaseLineProtocol
public import CaseLineStore
import Foundation

/// The whole configuration of a data directory: the server's settings and the store's.
public struct Settings: Sendable {
    public var server = ServerConfiguration()
    public var store = StoreConfiguration()

    public init() {}
}

/// Reads the configuration file (`key = value` lines, `#` comments), then `CASELINE_…` environment
/// variables, each overriding the one before. Unknown keys and bad values are errors with a line number,
/// never silently ignored: a typo in a security setting must not fall back to a default unnoticed. Every key is
/// declared once (`settings`): its comment, how it is read from and written into `Settings`, and its range.
public enum ConfigurationLoader {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// One key of the configuration file.
    struct Setting: Sendable {
        let key: String
        let comment: String
        let read: @Sendable (Settings) -> String
        let write: @Sendable (inout Settings, String) throws(Failure) -> Void
    }

    static func number(
        _ key: String, _ path: any WritableKeyPath<Settings, Int> & Sendable, _ range: ClosedRange<Int>,
        _ comment: String
    ) -> Setting {
        Setting(
            key: key, comment: comment, read: { String($0[keyPath: path]) },
            write: { (settings, raw) throws(Failure) in
                settings[keyPath: path] = try whole(key, raw, range)
            })
    }

    static func seconds(
        _ key: String, _ path: any WritableKeyPath<Settings, Duration> & Sendable, _ range: ClosedRange<Int>,
        _ comment: String, unit: Int = 1
    ) -> Setting {
        Setting(
            key: key, comment: comment, read: { String($0[keyPath: path].wholeSeconds / unit) },
            write: {
                (settings, raw) throws(Failure) in
                settings[keyPath: path] = .seconds(try whole(key, raw, range) * unit)
            })
    }

    static func text(_ key: String, _ path: any WritableKeyPath<Settings, String> & Sendable, _ comment: String)
        -> Setting
    {
        Setting(
            key: key, comment: comment, read: { $0[keyPath: path] },
            write: { (settings, raw) throws(Failure) in
                settings[keyPath: path] = raw
            })
    }

    static func whole(_ key: String, _ raw: String, _ range: ClosedRange<Int>) throws(Failure) -> Int {
        guard let number = Int(raw), range.contains(number) else {
            throw Failure(
                description: "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(raw)"
            )
        }
        return number
    }

    /// Every key, in the order a fresh file lists them.
    static let settings: [Setting] = [
        text(
            "listen.host", \.server.listen.host,
            "Address to listen on (0.0.0.0 = every IPv4 address, :: = every address)."),
        number(
            "listen.port", \.server.listen.port, 0...65535, "TCP port of the TLS listener (CLP/1 over implicit TLS)."),
        text("tls.certificate", \.server.tls.certificate, "PEM certificate chain, relative to the data directory."),
        text("tls.key", \.server.tls.key, "PEM private key, relative to the data directory. Keep it 0600."),
        Setting(
            key: "tls.client-certificates",
            comment: "none | optional: ask clients for a certificate; a mapped one logs the session in.",
            read: { $0.server.tls.clientCertificates.rawValue },
            write: { (settings, raw) throws(Failure) in
                guard let value = ServerConfiguration.TLS.ClientCertificates(rawValue: raw) else {
                    throw Failure(description: "tls.client-certificates must be none or optional, not \(raw)")
                }
                settings.server.tls.clientCertificates = value
            }),
        seconds(
            "tls.handshake-timeout", \.server.tls.handshakeTimeout, 1...300,
            "Seconds for a client to complete the TLS handshake."),
        Setting(
            key: "limits.max-line", comment: "Longest request line in bytes (literals not counted).",
            read: { String($0.server.limits.framing.maxLineBytes) },
            write: { (settings, raw) throws(Failure) in
                let framing = settings.server.limits.framing
                settings.server.limits.framing = .init(
                    maxLineBytes: try whole("limits.max-line", raw, ProtocolLimitsRange.line),
                    maxLiteralBytes: framing.maxLiteralBytes, maxCommandBytes: framing.maxCommandBytes)
            }),
        Setting(
            key: "limits.max-literal", comment: "Largest literal in bytes.",
            read: { String($0.server.limits.framing.maxLiteralBytes) },
            write: { (settings, raw) throws(Failure) in
                let framing = settings.server.limits.framing
                settings.server.limits.framing = .init(
                    maxLineBytes: framing.maxLineBytes,
                    maxLiteralBytes: try whole("limits.max-literal", raw, ProtocolLimitsRange.literal),
                    maxCommandBytes: framing.maxCommandBytes)
            }),
        Setting(
            key: "limits.max-command", comment: "Largest request (lines and literals) in bytes.",
            read: { String($0.server.limits.framing.maxCommandBytes) },
            write: { (settings, raw) throws(Failure) in
                let framing = settings.server.limits.framing
                settings.server.limits.framing = .init(
                    maxLineBytes: framing.maxLineBytes, maxLiteralBytes: framing.maxLiteralBytes,
                    maxCommandBytes: try whole("limits.max-command", raw, ProtocolLimitsRange.command))
            }),
        number(
            "limits.max-inflight", \.server.limits.maxInflight, 1...4096,
            "Requests read ahead of their answers; past it the server stops reading."),
        number("limits.max-connections", \.server.limits.maxConnections, 1...1_000_000, "Connections in total."),
        number(
            "limits.max-connections-per-address", \.server.limits.maxConnectionsPerAddress, 1...1_000_000,
            "Connections from one client address."),
        number(
            "limits.max-sessions-per-user", \.server.limits.maxSessionsPerUser, 1...1_000_000,
            "Authenticated sessions of one user."),
        number(
            "limits.bad-commands-before-login", \.server.limits.badCommandsBeforeLogin, 1...1000,
            "BAD answers before authentication, then the connection is closed."),
        number(
            "limits.bad-commands", \.server.limits.badCommands, 1...100_000,
            "BAD answers in an authenticated session, then the connection is closed."),
        number(
            "limits.outbound-buffer", \.server.limits.outboundBufferBytes, 4096...(1 << 30),
            "Bytes of unread answers held for a client before its requests stop being read."),
        number(
            "limits.send-buffer", \.server.limits.sendBufferBytes, 0...(1 << 28),
            "Kernel send buffer per connection in bytes; 0 = the system's autotuning."),
        seconds("timeouts.login", \.server.timeouts.login, 1...3600, "Seconds to authenticate after connecting."),
        seconds(
            "timeouts.idle", \.server.timeouts.idle, 1...(86400 * 7),
            "Seconds without a request before an idle session is closed."),
        number(
            "auth.lock-after-failures", \.server.auth.throttle.lockAfterFailures, 1...1000,
            "Failed logins of one user name from one client address before that address is locked out of it."),
        number(
            "auth.lock-minutes", \.server.auth.throttle.lockMinutes, 1...1440,
            "How long such a lock lasts; it ends by itself (an admin may lift it earlier)."),
        number(
            "auth.address-lock-after-failures", \.server.auth.throttle.addressLockAfterFailures, 1...100_000,
            "Failed logins from one client address, any names, before it is refused every login (lock-minutes)."),
        number(
            "auth.failure-delay-ms", \.server.auth.throttle.baseDelayMilliseconds, 0...60_000,
            "Delay of the first failed login's answer; it doubles with each failure."),
        number(
            "auth.failure-delay-max-ms", \.server.auth.throttle.maximumDelayMilliseconds, 0...600_000,
            "Longest failed-login delay; must stay below timeouts.login."),
        number(
            "auth.scrypt-log-n", \.server.auth.kdf.logN, 10...20,
            "scrypt cost for new password hashes: N = 2^this (15 ≈ 0.1 s and 32 MiB)."),
        text("store.path", \.store.path, "SQLite database file, relative to the data directory."),
        text(
            "store.url", \.store.url,
            "A shared PostgreSQL store for several nodes, postgres://USER@HOST:PORT/DATABASE?sslmode=verify-full; "
                + "empty = the SQLite file above."),
        text(
            "store.password-file", \.store.passwordFile,
            "File holding the PostgreSQL password (or set CASELINE_STORE_PASSWORD); never put it in the URL."),
        Setting(
            key: "log.level", comment: "trace | debug | info | notice | warning | error | critical",
            read: { $0.server.log.level },
            write: { (settings, raw) throws(Failure) in
                guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(raw) else {
                    throw Failure(
                        description: "log.level must be trace, debug, info, notice, warning, error or critical")
                }
                settings.server.log.level = raw
            }),
        seconds(
            "shutdown.grace", \.server.shutdown.grace, 0...3600,
            "Seconds to finish in-flight commands on SIGTERM; then whatever is still open is closed."),
        seconds(
            "events.retention-days", \.server.events.retention, 1...3650,
            "Days events are kept; WATCH since= an older event gets RESYNC-REQUIRED.", unit: 86_400),
        number(
            "events.queue", \.server.events.queue, 16...1_000_000,
            "Events waiting for one watcher that does not read; past it: BYE [SLOW-CONSUMER]."),
        number("events.max-watches", \.server.events.maxWatches, 1...256, "WATCHes one session may hold."),
        number(
            "events.deadline-soon-days", \.server.events.deadlineSoonDays, 0...365,
            "Days before a task's due date that task.deadline-soon is raised."),
        seconds(
            "events.deadline-check", \.server.events.deadlineCheck, 1...86_400,
            "Seconds between two looks for deadlines (and for expired events)."),
        Setting(
            key: "review.periodic-standards",
            comment:
                "YEAR:STANDARD,… — the standard a periodic review held in YEAR applies (default: the one of the list year, YEAR + 1).",
            read: { settings in
                settings.server.review.periodicStandards.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }
                    .joined(separator: ",")
            },
            write: { (settings, raw) throws(Failure) in
                var map: [Int: String] = [:]
                for item in raw.split(separator: ",") {
                    let parts = item.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
                    guard parts.count == 2, let year = Int(parts[0]), (2000...2100).contains(year),
                        StandardCatalog.builtIn.standard(id: parts[1]) != nil
                    else {
                        let known = StandardCatalog.builtIn.standards.map(\.id).joined(separator: ", ")
                        throw Failure(
                            description: "review.periodic-standards: \(item) is not YEAR:STANDARD (standards: \(known))"
                        )
                    }
                    map[year] = parts[1]
                }
                settings.server.review.periodicStandards = map
            }),
        dates(
            "review.holidays", \.server.review.holidays,
            "YYYY-MM-DD,… — public holidays beyond the fixed solar ones (Tết and the Hùng Kings' day each year)."),
        dates(
            "review.worked-weekend-days", \.server.review.workedWeekendDays,
            "YYYY-MM-DD,… — weekend days declared working days (they count toward the posting period)."),
        Setting(
            key: "review.special-zone-area", comment: "rural, urban or none: the area of households in a special zone.",
            read: { $0.server.review.specialZoneArea?.rawValue ?? "none" },
            write: { (settings, raw) throws(Failure) in
                guard raw == "none" || SettlementArea(rawValue: raw) != nil else {
                    throw Failure(description: "review.special-zone-area must be rural, urban or none")
                }
                settings.server.review.specialZoneArea = SettlementArea(rawValue: raw)
            }),
    ]

    static func dates(
        _ key: String, _ path: any WritableKeyPath<Settings, Set<CivilDate>> & Sendable, _ comment: String
    ) -> Setting {
        Setting(
            key: key, comment: comment, read: { $0[keyPath: path].sorted().map(\.description).joined(separator: ",") },
            write: { (settings, raw) throws(Failure) in
                var days: Set<CivilDate> = []
                for item in raw.split(separator: ",") {
                    let text = item.trimmingCharacters(in: .whitespaces)
                    guard let day = CivilDate(text) else {
                        throw Failure(description: "\(key): \(text) is not YYYY-MM-DD")
                    }
                    days.insert(day)
                }
                settings[keyPath: path] = days
            })
    }

    static let byKey = Dictionary(uniqueKeysWithValues: settings.map { ($0.key, $0) })

    /// Every key with its comment, in file order (`caseline-server init` writes these).
    public static var keys: [(key: String, comment: String)] { settings.map { ($0.key, $0.comment) } }

    public static func value(of key: String, in settings: Settings) -> String {
        byKey[key]?.read(settings) ?? ""
    }

    public static func set(_ key: String, to raw: String, in settings: inout Settings) throws(Failure) {
        guard let setting = byKey[key] else { throw Failure(description: "unknown setting \(key)") }
        try setting.write(&settings, raw)
    }

    /// Rules between settings, checked once every source has been applied.
    public static func validate(_ settings: Settings) throws(Failure) {
        let c = settings.server
        // A wrong password's answer must arrive before the login timeout closes the connection, or the
        // client sees BYE [LOGIN-TIMEOUT] instead of NO [AUTH-FAILED] (it did when both were 30 s).
        let loginMilliseconds = c.timeouts.login.wholeSeconds * 1000
        if c.auth.throttle.maximumDelayMilliseconds >= loginMilliseconds {
            throw Failure(
                description:
                    "auth.failure-delay-max-ms (\(c.auth.throttle.maximumDelayMilliseconds)) must be below timeouts.login "
                    + "(\(c.timeouts.login.wholeSeconds) s = \(loginMilliseconds) ms)")
        }
        if c.auth.throttle.maximumDelayMilliseconds < c.auth.throttle.baseDelayMilliseconds {
            throw Failure(description: "auth.failure-delay-max-ms must not be below auth.failure-delay-ms")
        }
    }

    /// Applies a configuration file's text.
    public static func apply(file text: String, named name: String, to settings: inout Settings) throws(Failure) {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = content.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            // `key =` is an empty value (store.url's default), not a malformed line.
            let parts = trimmed.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw Failure(description: "\(name):\(number + 1): expected key = value")
            }
            do {
                try set(parts[0], to: parts[1], in: &settings)
            } catch {
                throw Failure(description: "\(name):\(number + 1): \(error.description)")
            }
        }
    }

    /// `CASELINE_LISTEN_PORT=7433` sets `listen.port`: upper case, `.` and `-` become `_`.
    public static func environmentName(for key: String) -> String {
        "CASELINE_" + key.uppercased().replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "-", with: "_")
    }

    public static func apply(environment: [String: String], to settings: inout Settings) throws(Failure) {
        for setting in Self.settings {
            if let raw = environment[environmentName(for: setting.key)] {
                do {
                    try setting.write(&settings, raw)
                } catch {
                    throw Failure(description: "\(environmentName(for: setting.key)): \(error.description)")
                }
            }
        }
    }

    /// The text of a fresh configuration file: every key with its default, commented.
    public static func defaultFile(for settings: Settings) -> String {
        var text = """
            # CaseLine server configuration. Every setting is shown with its default.
            # Each can also be set by an environment variable (listen.port → CASELINE_LISTEN_PORT) or a flag;
            # flags win over the environment, which wins over this file. Paths are relative to this directory.

            """
        var section = ""
        for setting in Self.settings {
            let head = String(setting.key.split(separator: ".")[0])
            if head != section {
                text += "\n"
                section = head
            }
            text += "# \(setting.comment)\n\(setting.key) = \(setting.read(settings))\n"
        }
        return text
    }
}

/// The ranges of the framing settings (a line must hold at least a tag, a verb and a literal header).
enum ProtocolLimitsRange {
    static let line = ProtocolLimits.minimumLineBytes...(1 << 20)
    static let literal = 0...(1 << 30)
    static let command = ProtocolLimits.minimumLineBytes...(1 << 30)
}
