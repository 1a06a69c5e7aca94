import ArgumentParser
import CaseLineServer
import Foundation

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a data directory: configuration, certificate, store and the first admin.",
        discussion: """
            With --store postgres://…, the store is that shared PostgreSQL database (written into store.url): the
            first node's init sets it up; a later node's init finds it set up and only writes its own directory.
            """)

    @Option(name: .long, help: "The data directory to create (must not exist, or be empty).")
    var data: String

    @Option(name: .long, help: "A PEM certificate chain to use instead of generating a self-signed one.")
    var cert: String?

    @Option(name: .long, help: "The PEM private key for --cert.")
    var key: String?

    @Option(name: .long, help: "Login of the first administrator.")
    var admin: String = "admin"

    @Option(
        name: .long,
        help: """
            A shared PostgreSQL store, postgres://USER@HOST:PORT/DATABASE (written into store.url); its password \
            comes from CASELINE_STORE_PASSWORD (or set store.password-file afterwards), never from this line.
            """)
    var store: String?

    func validate() throws {
        guard (cert == nil) == (key == nil) else { throw ValidationError("--cert and --key go together") }
    }

    func run() async throws {
        let directory = DataDirectory(url: URL(fileURLWithPath: data))
        var settings = Settings()
        if let store { try ConfigurationLoader.set("store.url", to: store, in: &settings) }
        let (password, fingerprint) = try await directory.initialise(
            settings: settings,
            certificate: cert.map { (URL(fileURLWithPath: $0), URL(fileURLWithPath: key!)) }, admin: admin)
        print(
            """
            Created \(directory.url.path)
              configuration  \(directory.configURL.path)
              certificate    SHA-256 \(fingerprint)
            """)
        if let password {
            print(
                """
                First administrator: \(admin)
                One-time password (shown only now; it must be changed at first login): \(password)
                """)
        } else {
            print("The shared store was already set up: its users and units are there.")
        }
        print("Start the server with: caseline-server serve --data \(data)")
    }
}
