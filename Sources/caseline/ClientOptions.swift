import ArgumentParser
import CaseLineClient

struct ClientOptions: ParsableArguments {
    @Option(name: [.customShort("H"), .long], help: "Server host (default: 127.0.0.1).") var host: String?
    @Option(name: [.customShort("p"), .long], help: "Server port (default: 7433).") var port: Int?
    @Option(name: [.customShort("u"), .long], help: "User to log in as.") var user: String?
    @Option(help: "PEM file of the certificate authority (or the server's own certificate) to trust.")
    var ca: String?
    @Flag(help: "Do not verify the server's certificate at all (warns every time; for tests only).")
    var insecure = false
    @Option(help: "Client certificate (PEM) for mutual TLS.") var cert: String?
    @Option(help: "Private key (PEM) for --cert.") var key: String?
    @Option(help: "File holding an API token (must not be readable by others).") var tokenFile: String?
    @Option(help: "File holding the password (for scripts; mode 0600).") var passwordFile: String?
    @Option(help: "Program that prints the password (given the prompt as its argument), as ssh's SSH_ASKPASS.")
    var askpass: String?
    @Option(help: "table | json | csv | raw (default: table).") var format: String?
    @Option(name: [.customShort("f"), .long], help: "Run the commands in this file, one per line.") var file: String?
    @Flag(help: "In a file or pipe of commands, go on after a NO or BAD.") var continueOnError = false
    @Option(help: "Seconds to wait for the connection (default: 10).") var connectTimeout: Int = 10
    @Option(help: "The known-servers file (default: $XDG_CONFIG_HOME/caseline/known_servers).")
    var knownServers: String?
    @Option(help: "vi | en: the language of the client's messages and tables (default: from LANG).")
    var lang: String?
    @Option(help: "on | off | auto: records one field a line, as psql's \\x (default: auto, when a row cannot fit).")
    var expanded: String?
    @Flag(name: .customShort("x"), help: "The same as --expanded on.") var expandedOn = false
    @Flag(help: "Start CSV output with a UTF-8 byte order mark, so that spreadsheets read Vietnamese correctly.")
    var bom = false
    @Flag(help: "Never page long tables through $PAGER.") var noPager = false
    @Option(
        help:
            "Save the answers as one self-contained HTML page (tables, SVG charts for reports, printable on A4) in this file, instead of printing them."
    )
    var html: String?
}
