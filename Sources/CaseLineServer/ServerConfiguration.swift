public import CaseLineDomain
public import CaseLineProtocol

/// Everything the server can be told, in sections as the configuration file has them, with the documented
/// defaults (Protocol/CLP1.md §9). Times are `Duration`s, never bare numbers of seconds. Built from the
/// configuration file, then environment variables, then flags (see `ConfigurationLoader`). Where the store
/// keeps its data is the store's own setting (`StoreConfiguration`), not the server's.
public struct ServerConfiguration: Sendable {
    public struct Listen: Sendable {
        public var host = "0.0.0.0"
        public var port = 7433
    }

    public struct TLS: Sendable {
        public enum ClientCertificates: String, Sendable, CaseIterable {
            /// No client certificate is asked for.
            case none
            /// Asked for; a mapped certificate logs the session in, others are ignored.
            case optional
        }

        /// PEM certificate chain and private key, relative to the data directory.
        public var certificate = "cert.pem"
        public var key = "key.pem"
        public var clientCertificates = ClientCertificates.optional
        public var handshakeTimeout: Duration = .seconds(10)
    }

    public struct Limits: Sendable {
        /// Line, literal and whole-request sizes the codec enforces.
        public var framing = ProtocolLimits.defaults
        /// Requests read ahead of their answers.
        public var maxInflight = 32
        public var maxConnections = 1000
        public var maxConnectionsPerAddress = 20
        public var maxSessionsPerUser = 10
        public var badCommandsBeforeLogin = 3
        public var badCommands = 25
        /// Bytes of answers handed over but not yet written before the session stops reading requests.
        public var outboundBufferBytes = 1_048_576
        /// The kernel's send buffer per connection; 0 leaves it to the system's autotuning (up to 4 MiB on Linux).
        public var sendBufferBytes = 0
    }

    public struct Timeouts: Sendable {
        public var login: Duration = .seconds(30)
        public var idle: Duration = .seconds(1800)
    }

    public struct Auth: Sendable {
        public var throttle = LoginThrottle.defaults
        public var kdf = PasswordHasher.Parameters.standard
    }

    /// Events (CLP1.md §8): how long they are kept, how many may wait for one slow watcher, watches per
    /// session; deadlines raised this many days ahead, looked for this often.
    public struct Events: Sendable {
        public var retention: Duration = .seconds(30 * 86_400)
        public var queue = 1000
        public var maxWatches = 16
        public var deadlineSoonDays = 3
        public var deadlineCheck: Duration = .seconds(60)
    }

    public struct Shutdown: Sendable {
        /// Time for sessions to finish the command they run after SIGTERM; then whatever is open is closed.
        public var grace: Duration = .seconds(10)
    }

    public struct Log: Sendable {
        public var level = "info"
    }

    /// The poverty review (CLP1.md §10.11): which standard a review year applies, the working days that count
    /// for the public posting, and the area of special zones. The legal defaults are built in
    /// (`StandardCatalog.builtIn`); what the sources leave unsettled is configurable here.
    public struct Review: Sendable {
        /// Periodic review year → standard id, replacing the default (the standard of the list year, Y + 1).
        public var periodicStandards: [Int: String] = [:]
        /// Public holidays beyond the fixed solar ones (Tết and Hùng Kings' day move with the lunar calendar
        /// and are announced each year), and weekend days declared working days.
        public var holidays: Set<CivilDate> = []
        public var workedWeekendDays: Set<CivilDate> = []
        /// The area of every special zone (đặc khu), which the unit type cannot tell; nil: an assessment in a
        /// special zone needs an explicit override.
        public var specialZoneArea: SettlementArea?

        public var catalog: StandardCatalog {
            StandardCatalog(standards: StandardCatalog.builtIn.standards, periodicOverrides: periodicStandards)
        }

        /// Weekends off, the fixed solar holidays of 2021–2040, and the configured days.
        public var calendar: WorkingCalendar {
            let fixed = (2021...2040).reduce(into: Set<CivilDate>()) {
                $0.formUnion(WorkingCalendar.fixedSolarHolidays(year: $1))
            }
            return WorkingCalendar(holidays: fixed.union(holidays), workedWeekendDays: workedWeekendDays)
        }

        public var area: AreaDerivation.Configuration {
            AreaDerivation.Configuration(specialZoneDefault: specialZoneArea)
        }
    }

    public var listen = Listen()
    public var tls = TLS()
    public var limits = Limits()
    public var timeouts = Timeouts()
    public var auth = Auth()
    public var events = Events()
    public var shutdown = Shutdown()
    public var log = Log()
    public var review = Review()

    public init() {}
}

extension Duration {
    /// Whole seconds, as the greeting and the configuration file write them.
    public var wholeSeconds: Int { Int(components.seconds) }
}
