public import CaseLineDomain
public import CaseLineProtocol

/// Everything `caseline-server serve` can be told, with the documented defaults (Protocol/CLP1.md §9).
/// Built from the configuration file, then environment variables, then flags (see `ConfigurationLoader`).
public struct ServerConfiguration: Sendable {
    public var host = "0.0.0.0"
    public var port = 7433
    public var certificatePath = "cert.pem"
    public var privateKeyPath = "key.pem"
    public var clientCertificates = ClientCertificates.optional
    public var handshakeTimeoutSeconds = 10

    public var limits = ProtocolLimits.defaults
    public var maxInflight = 32
    public var maxConnections = 1000
    public var maxConnectionsPerAddress = 20
    public var maxSessionsPerUser = 10
    public var loginTimeoutSeconds = 30
    public var idleTimeoutSeconds = 1800
    public var badCommandsBeforeLogin = 3
    public var badCommands = 25
    /// Bytes of responses waiting for a slow reader before the server stops reading its requests.
    public var outboundBufferBytes = 1_048_576
    /// The kernel's send buffer per connection; 0 leaves it to the system's autotuning (up to 4 MiB on Linux).
    public var sendBufferBytes = 0

    public var throttle = LoginThrottle.defaults
    public var kdf = PasswordHasher.Parameters.standard

    public var storePath = "caseline.sqlite"
    public var logLevel = "info"
    public var shutdownGraceSeconds = 10
    /// Events (CLP1.md §8): how long they are kept, how many may wait for one slow watcher, watches per session.
    public var eventRetentionDays = 30
    public var eventQueue = 1000
    public var maxWatches = 16
    /// Deadlines: `task.deadline-soon` this many days ahead; the scheduler looks every so many seconds.
    public var deadlineSoonDays = 3
    public var deadlineCheckSeconds = 60

    public enum ClientCertificates: String, Sendable, CaseIterable {
        /// No client certificate is asked for.
        case none
        /// Asked for; a mapped certificate logs the session in, others are ignored.
        case optional
    }

    public init() {}
}
