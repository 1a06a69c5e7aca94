public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where the client keeps its files, as every Unix tool does: `$HOME` (the password database's home only when
/// `HOME` is unset), and the XDG base directories over it (`XDG_CONFIG_HOME`, `XDG_STATE_HOME`,
/// `XDG_CACHE_HOME`; a relative value is ignored, as the XDG specification says).
public struct ClientPaths: Sendable {
    public let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public var home: URL {
        if let home = environment["HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        if let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir {
            return URL(fileURLWithPath: String(cString: directory))
        }
        return URL(fileURLWithPath: "/")
    }

    private func base(_ variable: String, default relative: String) -> URL {
        if let value = environment[variable], value.hasPrefix("/") { return URL(fileURLWithPath: value) }
        return home.appendingPathComponent(relative)
    }

    public var configHome: URL { base("XDG_CONFIG_HOME", default: ".config") }
    public var stateHome: URL { base("XDG_STATE_HOME", default: ".local/state") }
    public var cacheHome: URL { base("XDG_CACHE_HOME", default: ".cache") }

    /// `key = value` settings.
    public var configFile: URL { configHome.appendingPathComponent("caseline/config") }
    /// Servers trusted on first use.
    public var knownServers: URL { configHome.appendingPathComponent("caseline/known_servers") }
    /// The interactive session's history (never a secret line).
    public var history: URL { stateHome.appendingPathComponent("caseline/history") }
    /// Command tables learned from servers, one file per server and server version.
    public var commandCache: URL { cacheHome.appendingPathComponent("caseline/commands") }
}
