import ArgumentParser
import CaseLineClient
import CaseLineProtocol
import Foundation

/// `caseline`: the terminal client. One command from the arguments, many from a file or a pipe, or an
/// interactive session on a terminal.
@main
struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caseline",
        abstract: "The CaseLine client: run one command, a file of commands, or an interactive session.",
        discussion: """
            Examples:
              caseline --host caseline.example.vn --user lan TASK LIST mine=yes
              caseline -f nightly.clp --format csv > report.csv
              caseline                          (interactive, on a terminal)

            Settings come from ~/.config/caseline/config (key = value: host, port, user, ca, token-file,
            format), then CASELINE_HOST, CASELINE_PORT, CASELINE_USER, CASELINE_FORMAT, then flags. Secrets
            never go on the command line: the password comes from a prompt without echo, --password-file, or
            CASELINE_PASSWORD; an API token from --token-file (mode 0600) or CASELINE_TOKEN.

            TLS is verified against the system's roots, or --ca FILE. A self-signed server is trusted on first
            use: its SHA-256 fingerprint is shown, you are asked, and it is remembered in
            ~/.config/caseline/known_servers; a changed fingerprint is refused.

            Messages are in Vietnamese when the locale is (LANG=vi_VN.UTF-8), or with --lang vi; protocol
            codes are never translated.

            Exit codes: 0 success; 1 a command was refused (NO); 2 a command was malformed (BAD) or the
            usage was wrong; 3 connection or TLS failure; 4 authentication failed.
            """)

    @OptionGroup var options: ClientOptions

    @Argument(parsing: .captureForPassthrough, help: "A command to run, e.g. TASK LIST mine=yes.")
    var words: [String] = []

    func run() async throws {
        Language.current = Language.choose(flag: options.lang, environment: ProcessInfo.processInfo.environment)
        let settings: Settings
        do {
            settings = try Settings(options: options)
        } catch let error as ClientFailure {
            error.report()
            throw ExitCode(error.exitCode)
        }
        let code = await Session.run(settings: settings, words: words)
        if code != 0 { throw ExitCode(code) }
    }
}

/// A failure the client explains and maps to its exit code.
struct ClientFailure: Error {
    var exitCode: Int32
    var message: String

    static func usage(_ message: String) -> ClientFailure { ClientFailure(exitCode: 2, message: message) }
    static func connection(_ message: String) -> ClientFailure { ClientFailure(exitCode: 3, message: message) }
    static func authentication(_ message: String) -> ClientFailure { ClientFailure(exitCode: 4, message: message) }

    func report() { Terminal.error("caseline: \(message)") }
}
