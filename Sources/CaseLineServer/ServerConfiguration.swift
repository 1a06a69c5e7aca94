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

    public var listen = Listen()
    public var tls = TLS()
    public var limits = Limits()
    public var timeouts = Timeouts()
    public var auth = Auth()
    public var events = Events()
    public var shutdown = Shutdown()
    public var log = Log()

    public init() {}
}

extension Duration {
    /// Whole seconds, as the greeting and the configuration file write them.
    public var wholeSeconds: Int { Int(components.seconds) }
}
