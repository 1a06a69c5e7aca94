import CaseLineServer
import CaseLineStore
import CaseLineStorePostgres
import CaseLineStoreSQLite
import Foundation

/// An open store and what the log says about it.
struct OpenedStore {
    let store: any Store
    /// Where the data lives: a file path, or a PostgreSQL URL without its password.
    let location: String
    /// The settings that decide whether an acknowledged write is durable, as the backend reports them.
    let durability: String
}

extension DataDirectory {
    /// The one place that chooses and opens the store: every command (serve, init, demo, import, user, store
    /// copy) opens it here. `store.url` set: the shared PostgreSQL store; otherwise the SQLite file. The store
    /// refuses to open when it cannot keep its guarantees (`StoreSetupError`).
    func openStore(_ configuration: StoreConfiguration) async throws -> OpenedStore {
        if !configuration.url.isEmpty {
            let postgres = try PostgresStoreConfiguration(
                url: configuration.url, password: try storePassword(configuration))
            let store = try await PostgresStore.open(postgres)
            let durability = try await store.durability()
            return OpenedStore(store: store, location: postgres.description, durability: "\(durability)")
        }
        let path = resolve(configuration.path).path
        let store = try SQLiteStore(path: path)
        // What the writer connection has in force, read back from it (the store refuses to open otherwise).
        let durability = try await store.durability()
        return OpenedStore(store: store, location: path, durability: "\(durability)")
    }

    /// The PostgreSQL password: from `store.password-file` (its first line), else `CASELINE_STORE_PASSWORD`, else
    /// none (trust or a client certificate). Never from a command line, where `ps` would show it.
    func storePassword(_ configuration: StoreConfiguration) throws -> String? {
        if !configuration.passwordFile.isEmpty {
            let file = resolve(configuration.passwordFile)
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                throw StoreSetupError("cannot read the store's password file \(file.path)")
            }
            return text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        }
        return ProcessInfo.processInfo.environment["CASELINE_STORE_PASSWORD"]
    }
}
