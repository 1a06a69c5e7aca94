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
    var paths: ClientPaths
    var expanded: OutputFormat.Expanded = .auto
    var bom = false
    var pager = true
    /// `--html FILE`: answers go to this page instead of standard output.
    var html: String?

    /// The keys a config file may hold.
    static let keys = ["host", "port", "user", "ca", "token-file", "format", "askpass"]

    static func configFile(_ environment: [String: String]) -> URL { ClientPaths(environment: environment).configFile }

    init(options: ClientOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        var values: [String: String] = [:]
        paths = ClientPaths(environment: environment)
        let configFile = paths.configFile
        if let text = try? String(contentsOf: configFile, encoding: .utf8) {
            for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                guard let equals = line.firstIndex(of: "=") else {
                    throw ClientFailure.usage(
                        "\(configFile.path):\(number + 1): "
                            + tr("expected key = value", vi: "cần dạng khóa = giá trị"))
                }
                let key = line[..<equals].trimmingCharacters(in: .whitespaces)
                guard Self.keys.contains(key) else {
                    let near = Self.keys.min { Self.distance($0, key) < Self.distance($1, key) }
                    let hint = near.flatMap { Self.distance($0, key) <= 2 ? $0 : nil }
                    throw ClientFailure.usage(
                        "\(configFile.path):\(number + 1): "
                            + tr(
                                "unknown setting \(key)\(hint.map { " (did you mean \($0)?)" } ?? ""); the settings are \(Self.keys.joined(separator: ", "))",
                                vi:
                                    "không có thiết lập \(key)\(hint.map { " (có phải \($0)?)" } ?? ""); các thiết lập là \(Self.keys.joined(separator: ", "))"
                            ))
                }
                values[key] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
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
        guard connectTimeout > 0 else {
            throw ClientFailure.usage(
                tr(
                    "--connect-timeout must be a number of seconds above 0",
                    vi: "--connect-timeout phải là số giây lớn hơn 0"))
        }
        knownServers = KnownServers(
            file: options.knownServers.map { URL(fileURLWithPath: $0) } ?? paths.knownServers)
        if options.expandedOn { expanded = .on }
        if let name = options.expanded {
            guard let chosen = OutputFormat.Expanded(rawValue: name) else {
                throw ClientFailure.usage(
                    tr(
                        "--expanded takes on, off or auto, not \(name)",
                        vi: "--expanded nhận on, off hoặc auto, không phải \(name)"))
            }
            expanded = chosen
        }
        bom = options.bom
        pager = !options.noPager
        html = options.html.map { ($0 as NSString).expandingTildeInPath }
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

    /// Edits between two short words (Levenshtein), to suggest the setting a misspelt key meant.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
