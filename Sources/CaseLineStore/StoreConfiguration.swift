/// Where and how the store keeps its data: the `store.` section of the configuration file.
public struct StoreConfiguration: Sendable, Hashable {
    /// The SQLite database file, relative to the data directory.
    public var path = "caseline.sqlite"

    public init() {}
}
