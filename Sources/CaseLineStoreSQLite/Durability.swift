/// The SQLite settings that decide whether an acknowledged write survives a power cut, as the writer
/// connection reports them (`PRAGMA synchronous`, `PRAGMA journal_mode`).
public struct Durability: Sendable, Hashable, CustomStringConvertible {
    /// 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. In WAL mode only FULL and above sync the log at every commit.
    public var synchronous: Int
    public var journalMode: String

    public init(synchronous: Int, journalMode: String) {
        self.synchronous = synchronous
        self.journalMode = journalMode
    }

    /// WAL with the log synced at every commit: a commit is on disk when it returns.
    public var isDurable: Bool { synchronous >= 2 && journalMode.lowercased() == "wal" }

    public var description: String { "journal_mode=\(journalMode) synchronous=\(synchronous)" }
}
