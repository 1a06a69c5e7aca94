import CaseLineServer
import CaseLineStore
import CaseLineStoreSQLite
import Foundation

/// An open store and what the log says about it.
struct OpenedStore {
    let store: any Store
    /// Where the data lives (a file path today).
    let location: String
    /// The settings that decide whether an acknowledged write is durable, as the backend reports them.
    let durability: String
}

extension DataDirectory {
    /// The one place that chooses and opens the store: every command (serve, init, demo, import, user) opens it
    /// here, so a second backend is a change to this function and to the configuration, not to the commands.
    /// The store refuses to open when it cannot keep its guarantees (`StoreSetupError`).
    func openStore(_ configuration: StoreConfiguration) async throws -> OpenedStore {
        let path = resolve(configuration.path).path
        let store = try SQLiteStore(path: path)
        // What the writer connection has in force, read back from it (the store refuses to open otherwise).
        let durability = try await store.durability()
        return OpenedStore(store: store, location: path, durability: "\(durability)")
    }
}
