import ArgumentParser
import CaseLineClient
import CaseLineProtocol
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `caseline`: the terminal client. One command from the arguments, many from a file or a pipe, or an
/// interactive session on a terminal.
@main
struct ClientCommand: AsyncParsableCommand {
    static let version = "caseline 0.1.0 (CLP/1)"

    static let configuration = CommandConfiguration(
        commandName: "caseline",
        abstract: "The CaseLine client: run one command, a file of commands, or an interactive session.",
        discussion: """
            Examples:
              caseline --host caseline.example.vn --user lan TASK LIST mine=yes
              caseline -f nightly.clp --format csv > report.csv
              caseline                          (interactive, on a terminal)

            Daily verbs: communes, tasks, pending, case C-7, approve C-7 [note], reject C-7 [reason],
            return C-7 [reason], watch [mine] [commune=…]; protocol commands (HELP lists them) work as well.

            Settings come from $XDG_CONFIG_HOME/caseline/config (default ~/.config/caseline/config; key = value:
            host, port, user, ca, token-file, format, askpass), then CASELINE_HOST, CASELINE_PORT, CASELINE_USER,
            CASELINE_FORMAT, then flags. Secrets never go on the command line: the password comes from a prompt
            without echo, --askpass, --password-file, or CASELINE_PASSWORD; an API token from --token-file (mode
            0600) or CASELINE_TOKEN.

            TLS is verified against the system's roots, or --ca FILE. A self-signed server is trusted on first
            use: its SHA-256 fingerprint is shown, you are asked (before any password), and it is remembered in
            $XDG_CONFIG_HOME/caseline/known_servers; a changed fingerprint is refused.

            Tables fit the terminal and long ones go through $PAGER (less -FRX by default); -x shows records one
            field a line. Lists are fetched to their end, page by page. Under a Vietnamese locale (or --lang vi)
            messages, labels, amounts, dates and times are Vietnamese; json, csv and raw stay exact.

            Reports (REPORT POVERTY …) are drawn as tables with bar charts (rates against targets, disbursed
            against allocated); in csv each record type is a section (a line "# TYPE", its header, its rows);
            --html FILE saves the answers as a self-contained HTML page with SVG charts, printable on A4.

            Exit codes: 0 success; 1 a command was refused (NO); 2 a command was malformed (BAD) or the
            usage was wrong; 3 connection or TLS failure; 4 authentication failed.
            """)

    @OptionGroup var options: ClientOptions

    @Argument(parsing: .captureForPassthrough, help: "A command to run, e.g. TASK LIST mine=yes.")
    var words: [String] = []

    /// `--help`, `-h` and `--version` are answered here, without connecting (the words after the options are
    /// passed through as a command, so the parser would never see them); a bad flag value exits 2 as
    /// documented, not ArgumentParser's 64.
    static func main() async {
        do {
            var command = try parseAsRoot() as! ClientCommand
            switch command.words.first {
            case "--help", "-h":
                print(helpMessage())
                return
            case "--version":
                print(version)
                return
            default:
                try await command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code.rawValue == 64 {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                FileHandle.standardError.write(Data("Run caseline --help for the options.\n".utf8))
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }

    mutating func run() async throws {
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
