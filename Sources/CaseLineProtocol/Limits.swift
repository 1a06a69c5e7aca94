/// Every size limit the codec enforces, in one place. The server announces these in its greeting.
///
/// Defaults are chosen so that a hand-typed command never comes near them, while a request can never make
/// the decoder hold more than `maxCommandBytes` in memory.
public struct ProtocolLimits: Sendable, Hashable {
    /// Longest line (bytes, not counting the line ending or literal payloads).
    public var maxLineBytes: Int
    /// Largest single literal payload (bytes).
    public var maxLiteralBytes: Int
    /// Largest whole request: all its lines and literal payloads together (bytes).
    public var maxCommandBytes: Int

    /// Tags are at most this long; fixed by the grammar, not configurable.
    public static let maxTagBytes = 32
    /// Verbs and subcommands are at most this long; fixed by the grammar.
    public static let maxVerbBytes = 32
    /// A literal's announced length has at most this many digits.
    public static let maxLiteralLengthDigits = 10
    /// The smallest line limit a server may configure: room for a tag, a verb and a literal header.
    public static let minimumLineBytes = 128

    public static let defaults = ProtocolLimits(
        maxLineBytes: 8192,
        maxLiteralBytes: 1_048_576,
        maxCommandBytes: 2_097_152
    )

    public init(maxLineBytes: Int, maxLiteralBytes: Int, maxCommandBytes: Int) {
        self.maxLineBytes = max(maxLineBytes, Self.minimumLineBytes)
        self.maxLiteralBytes = max(maxLiteralBytes, 0)
        self.maxCommandBytes = max(maxCommandBytes, self.maxLineBytes)
    }
}
