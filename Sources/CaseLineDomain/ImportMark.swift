/// Where an imported record (a case or a task of past years) came from: the province's file, the line, the
/// run that brought it in, and the record's own key in the province's numbering (`unit/key`, what makes a
/// second import of the same file find it). Records made in CaseLine carry none.
public struct ImportMark: Sendable, Hashable {
    /// The file's name (without its directory).
    public var source: String
    public var line: Int
    /// One id per import run (`IMP-YYYYMMDD-HHMMSS-xxxx`): the records a run created share it.
    public var importID: String
    /// `unit/key`, unique among the imported records of one kind.
    public var key: String
    /// The 2025 commune a split legacy commune's record went to, as the file named it.
    public var successor: String?

    public init(source: String, line: Int, importID: String, key: String, successor: String? = nil) {
        self.source = source
        self.line = line
        self.importID = importID
        self.key = key
        self.successor = successor
    }
}
