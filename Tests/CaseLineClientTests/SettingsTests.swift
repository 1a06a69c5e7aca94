import ArgumentParser
import CaseLineClient
import Foundation
import Testing

@testable import caseline

/// Where the client connects and how it authenticates: the config file, then the environment, then flags.
@Suite("Client settings")
struct SettingsTests {
    /// A config home of its own, with `config` holding `text` when given.
    static func home(config text: String? = nil) throws -> URL {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("caseline-settings-\(UUID())")
        try FileManager.default.createDirectory(
            at: home.appendingPathComponent("caseline"), withIntermediateDirectories: true)
        if let text {
            try text.write(to: home.appendingPathComponent("caseline/config"), atomically: true, encoding: .utf8)
        }
        return home
    }

    static func settings(_ arguments: [String], home: URL, environment: [String: String] = [:]) throws -> Settings {
        try Settings(
            options: ClientOptions.parse(arguments),
            environment: environment.merging(["XDG_CONFIG_HOME": home.path]) { a, _ in a })
    }

    static func usageMessage(_ body: () throws -> Settings) -> String? {
        do {
            _ = try body()
            return nil
        } catch let failure as ClientFailure {
            return failure.exitCode == 2 ? failure.message : "exit \(failure.exitCode): \(failure.message)"
        } catch {
            return "\(error)"
        }
    }

    @Test func defaultsWithoutAnyFile() throws {
        let settings = try Self.settings([], home: Self.home())
        #expect(settings.server == "127.0.0.1:7433")
        #expect(settings.user == nil && settings.format == .table && settings.token == nil)
    }

    @Test func fileThenEnvironmentThenFlags() throws {
        let home = try Self.home(
            config: """
                # a comment, then a blank line

                host = cl.thainguyen.gov.vn
                port=7000
                user = minh
                format = json
                """)
        let fromFile = try Self.settings([], home: home)
        #expect(fromFile.server == "cl.thainguyen.gov.vn:7000")
        #expect(fromFile.user == "minh" && fromFile.format == .json)
        let fromEnvironment = try Self.settings(
            [], home: home, environment: ["CASELINE_PORT": "7100", "CASELINE_USER": "lan", "CASELINE_FORMAT": "csv"])
        #expect(fromEnvironment.server == "cl.thainguyen.gov.vn:7100")
        #expect(fromEnvironment.user == "lan" && fromEnvironment.format == .csv)
        let fromFlags = try Self.settings(
            ["--port", "7200", "--user", "son", "--format", "raw", "--host", "127.0.0.2"], home: home,
            environment: ["CASELINE_PORT": "7100", "CASELINE_USER": "lan"])
        #expect(fromFlags.server == "127.0.0.2:7200")
        #expect(fromFlags.user == "son" && fromFlags.format == .raw)
    }

    @Test func badValuesAreUsageErrorsThatSayWhere() throws {
        let broken = try Self.home(config: "host = a\nthis line has no equals sign\n")
        let message = Self.usageMessage { try Self.settings([], home: broken) }
        #expect(message == "\(broken.path)/caseline/config:2: expected key = value")
        #expect(
            Self.usageMessage { try Self.settings([], home: Self.home(config: "port = 70000")) }
                == "port 70000 is not a port number")
        #expect(
            Self.usageMessage { try Self.settings(["--format", "xml"], home: Self.home()) }
                == "unknown format xml: use table, json, csv or raw")
        #expect(
            Self.usageMessage { try Self.settings(["--cert", "c.pem"], home: Self.home()) }
                == "--cert and --key go together")
        // A misspelt key is named with its line, not silently ignored.
        let misspelt = try Self.home(config: "host = a\n\nhots = b\n")
        #expect(
            Self.usageMessage { try Self.settings([], home: misspelt) }
                == "\(misspelt.path)/caseline/config:3: unknown setting hots (did you mean host?); the settings are host, port, user, ca, token-file, format, askpass"
        )
        #expect(
            Self.usageMessage { try Self.settings(["--expanded", "wide"], home: Self.home()) }
                == "--expanded takes on, off or auto, not wide")
    }

    @Test func aTokenFileMustBeTheOwnersAlone() throws {
        let home = try Self.home()
        let file = home.appendingPathComponent("token").path
        try "  clt_secret\n".write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(
            Self.usageMessage { try Self.settings(["--token-file", file], home: home) }
                == "the token file \(file) is readable by others (mode 644); chmod 600 it")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        #expect(try Self.settings(["--token-file", file], home: home).token == "clt_secret")
        #expect(try Self.settings([], home: home, environment: ["CASELINE_TOKEN": "clt_env"]).token == "clt_env")
        #expect(
            Self.usageMessage { try Self.settings(["--token-file", file + ".missing"], home: home) }
                == "cannot read the token file \(file).missing")
    }
}

/// Files follow `$HOME` and the XDG variables over it, as every Unix tool does.
@Suite("Client paths")
struct ClientPathsTests {
    @Test func homeThenXDG() {
        let plain = ClientPaths(environment: ["HOME": "/home/lan"])
        #expect(plain.configFile.path == "/home/lan/.config/caseline/config")
        #expect(plain.knownServers.path == "/home/lan/.config/caseline/known_servers")
        #expect(plain.history.path == "/home/lan/.local/state/caseline/history")
        #expect(plain.commandCache.path == "/home/lan/.cache/caseline/commands")
        let xdg = ClientPaths(
            environment: [
                "HOME": "/home/lan", "XDG_CONFIG_HOME": "/x/config", "XDG_STATE_HOME": "/x/state",
                "XDG_CACHE_HOME": "relative/ignored",
            ])
        #expect(xdg.configFile.path == "/x/config/caseline/config")
        #expect(xdg.history.path == "/x/state/caseline/history")
        #expect(xdg.commandCache.path == "/home/lan/.cache/caseline/commands", "a relative XDG path is ignored")
    }
}
