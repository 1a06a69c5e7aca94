import ArgumentParser

@main
struct CaseLineServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caseline-server",
        abstract: "The CaseLine server: CLP/1 over TLS for the poverty-reduction programme's case work.",
        discussion: """
            Start with `caseline-server demo` for a ready-made demo province, or `caseline-server init --data DIR`
            then `caseline-server serve --data DIR` for a real deployment.
            """,
        subcommands: [
            InitCommand.self, ServeCommand.self, DemoCommand.self, ImportCommand.self, UserCommand.self,
            StoreCommand.self, GenerateCommand.self,
        ]
    )
}
