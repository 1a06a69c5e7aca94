import ArgumentParser
import CaseLineDomain
import CaseLineServer
import CaseLineStore
import Foundation
import NIOPosix

/// `caseline-server user …`: account recovery for whoever holds the data directory, with no session and no
/// other administrator needed — the way back in when the only admin is locked out or has lost the password.
/// Access to the data directory is the credential; every change is audited as the offline tool's.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Recover an account offline, from the data directory.",
        subcommands: [UserUnlock.self, UserResetPassword.self])
}

/// What both recovery commands take: the data directory and the account.
struct OfflineAccount: ParsableArguments {
    @Option(name: .long, help: "The data directory.")
    var data: String

    @Argument(help: "The login.")
    var login: String

    /// Runs `body` on the directory's store and closes it whatever happens; a refusal becomes the tool's error.
    func withStore<T>(_ body: (any Store, Settings) async throws -> T) async throws -> T {
        let directory = try DataDirectory.existing(data)
        let configuration = try directory.loadConfiguration(environment: ProcessInfo.processInfo.environment)
        let store = try await directory.openStore(configuration.store).store
        do {
            let result = try await body(store, configuration)
            try await store.close()
            return result
        } catch let error as DomainError {
            try? await store.close()
            throw CLIError(error.message)
        } catch {
            try? await store.close()
            throw error
        }
    }
}

struct UserUnlock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Lift every failed-login lock of an account and forget its failures.",
        discussion: "Works while the server runs: its next login attempt sees the change.")

    @OptionGroup var account: OfflineAccount

    func run() async throws {
        let login = account.login
        try await account.withStore { store, _ in
            try await store.unlock(
                login: login,
                audit: AuditEntry(
                    actor: .system("caseline-server user unlock"), command: "user unlock", entity: "user:\(login)",
                    change: "unlocked offline"))
        }
        print("\(login) unlocked.")
    }
}

struct UserResetPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-password",
        abstract: "Give an account a new one-time password (printed once), to be changed at its next login.",
        discussion: "Also lifts its locks and enables it if it was disabled.")

    @OptionGroup var account: OfflineAccount

    func run() async throws {
        let login = account.login
        let actor = Actor.system("caseline-server user reset-password")
        let password = try await account.withStore { store, configuration in
            guard var user = try await store.user(login: login) else {
                throw DomainError(.notFound, "no user \(login)")
            }
            let password = OneTimePassword.generate()
            let hash = try await PasswordHasher(parameters: configuration.server.auth.kdf, pool: .singleton).hash(
                password)
            try await store.setPassword(
                login: login, passwordHash: hash, mustChange: true,
                audit: AuditEntry(
                    actor: actor, command: "user reset-password", entity: "user:\(login)",
                    change: "password reset offline; must-change-password: → yes"))
            try await store.unlock(
                login: login,
                audit: AuditEntry(
                    actor: actor, command: "user reset-password", entity: "user:\(login)", change: "unlocked offline"))
            if user.disabled {
                let revision = user.revision + 1
                user.disabled = false
                user.disabledReason = nil
                _ = try await store.saveUser(
                    user, expectedRevision: revision,
                    audit: AuditEntry(
                        actor: actor, command: "user reset-password", entity: "user:\(login)",
                        change: "status: disabled → active"))
            }
            return password
        }
        print("One-time password for \(login): \(password)")
        print("It must be changed at the first login (PASSWORD old new). A running server accepts it at once.")
    }
}
