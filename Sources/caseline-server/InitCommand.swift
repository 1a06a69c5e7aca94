import ArgumentParser
import CaseLineServer
import Foundation

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a data directory: configuration, certificate, SQLite store and the first admin.")

    @Option(name: .long, help: "The data directory to create (must not exist, or be empty).")
    var data: String

    @Option(name: .long, help: "A PEM certificate chain to use instead of generating a self-signed one.")
    var cert: String?

    @Option(name: .long, help: "The PEM private key for --cert.")
    var key: String?

    @Option(name: .long, help: "Login of the first administrator.")
    var admin: String = "admin"

    func validate() throws {
        guard (cert == nil) == (key == nil) else { throw ValidationError("--cert and --key go together") }
    }

    func run() async throws {
        let directory = DataDirectory(url: URL(fileURLWithPath: data))
        let (password, fingerprint) = try await directory.initialise(
            settings: Settings(),
            certificate: cert.map { (URL(fileURLWithPath: $0), URL(fileURLWithPath: key!)) }, admin: admin)
        print(
            """
            Created \(directory.url.path)
              configuration  \(directory.configURL.path)
              certificate    SHA-256 \(fingerprint)
            First administrator: \(admin)
            One-time password (shown only now; it must be changed at first login): \(password)
            Start the server with: caseline-server serve --data \(data)
            """)
    }
}
