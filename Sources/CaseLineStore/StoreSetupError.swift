/// A store that cannot be opened safely (a setting not in force, a file of another kind, a server that
/// refuses): any backend's refusal to start rather than run without its guarantees.
public struct StoreSetupError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
