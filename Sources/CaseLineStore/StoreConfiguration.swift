/// Where and how the store keeps its data: the `store.` section of the configuration file.
public struct StoreConfiguration: Sendable, Hashable {
    /// The SQLite database file, relative to the data directory (when `url` is empty).
    public var path = "caseline.sqlite"
    /// A shared PostgreSQL store, `postgres://USER@HOST:PORT/DATABASE[?sslmode=…]`, for several server nodes;
    /// empty for the embedded SQLite file. The URL never holds the password.
    public var url = ""
    /// The file holding the PostgreSQL password (relative to the data directory), read when the store opens;
    /// empty to take it from the environment (`CASELINE_STORE_PASSWORD`) or to need none.
    public var passwordFile = ""

    public init() {}
}
