import CaseLineClient
import Foundation

/// Where to connect and how to authenticate, from the config file, then the environment, then flags.
struct Settings {
    var host = "127.0.0.1"
    var port = 7433
    var user: String?
    var ca: String?
    var insecure = false
    var cert: String?
    var key: String?
    var token: String?
    var password: String?
    var passwordFile: String?
    var askpass: String?
    var format: OutputFormat
    var file: String?
    var continueOnError: Bool
    var connectTimeout: Int
    var knownServers: KnownServers

    static func configFile(_ environment: [String: String]) -> URL {
        let config =
            environment["XDG_CONFIG_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config")
        return config.appendingPathComponent("caseline/config")
    }

    init(options: ClientOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        var values: [String: String] = [:]
        let configFile = Self.configFile(environment)
        if let text = try? String(contentsOf: configFile, encoding: .utf8) {
            for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                guard let equals = line.firstIndex(of: "=") else {
                    throw ClientFailure.usage(
                        "\(configFile.path):\(number + 1): "
                            + tr("expected key = value", vi: "cần dạng khóa = giá trị"))
                }
                values[line[..<equals].trimmingCharacters(in: .whitespaces)] =
                    line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            }
        }
        for key in ["host", "port", "user", "format", "ca"] {
            if let value = environment["CASELINE_" + key.uppercased()] { values[key] = value }
        }
        host = options.host ?? values["host"] ?? host
        if let text = options.port.map(String.init) ?? values["port"] {
            guard let number = Int(text), (1...65535).contains(number) else {
                throw ClientFailure.usage(
                    tr("port \(text) is not a port number", vi: "cổng \(text) không phải số cổng"))
            }
            port = number
        }
        user = options.user ?? values["user"]
        ca = options.ca ?? values["ca"]
        insecure = options.insecure
        cert = options.cert
        key = options.key
        guard (cert == nil) == (key == nil) else {
            throw ClientFailure.usage(tr("--cert and --key go together", vi: "--cert và --key phải đi cùng nhau"))
        }
        let formatName = options.format ?? values["format"] ?? "table"
        guard let format = OutputFormat(rawValue: formatName) else {
            throw ClientFailure.usage(
                tr(
                    "unknown format \(formatName): use table, json, csv or raw",
                    vi: "định dạng \(formatName) không có: hãy dùng table, json, csv hoặc raw"))
        }
        self.format = format
        file = options.file
        continueOnError = options.continueOnError
        connectTimeout = options.connectTimeout
        knownServers = KnownServers(
            file: options.knownServers.map { URL(fileURLWithPath: $0) } ?? KnownServers.defaultFile)
        if let path = options.tokenFile ?? values["token-file"] {
            token = try Self.readSecret(path, what: "token")
        } else {
            token = environment["CASELINE_TOKEN"]
        }
        if let path = options.passwordFile {
            password = try Self.readSecret(path, what: "password")
        } else {
            password = environment["CASELINE_PASSWORD"]
        }
        askpass = options.askpass ?? environment["CASELINE_ASKPASS"] ?? values["askpass"]
    }

    /// A secret kept in a file must be readable by its owner only, as ssh insists for keys.
    static func readSecret(_ path: String, what: String) throws -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let mode = attributes?[.posixPermissions] as? Int else {
            throw ClientFailure.usage(
                tr("cannot read the \(what) file \(path)", vi: "không đọc được tệp \(what) \(path)"))
        }
        guard mode & 0o077 == 0 else {
            let mode = String(mode, radix: 8)
            throw ClientFailure.usage(
                tr(
                    "the \(what) file \(path) is readable by others (mode \(mode)); chmod 600 it",
                    vi: "tệp \(what) \(path) người khác đọc được (quyền \(mode)); hãy chmod 600"))
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ClientFailure.usage(
                tr("cannot read the \(what) file \(path)", vi: "không đọc được tệp \(what) \(path)"))
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    var server: String { "\(host):\(port)" }
}
