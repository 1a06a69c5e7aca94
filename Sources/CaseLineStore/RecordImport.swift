public import CaseLineDomain

/// One case of an import file as the store writes it (`Store.importCases`): the case as decided (its
/// `imported` mark holds the key), the fingerprint of its content, and the households it names as the file
/// names them, resolved by the store in the import's transaction.
public struct CaseImport: Sendable, Hashable {
    /// The case to create: state, decision, `decidedAt`, creator and `imported` set; `households` empty.
    public var file: CaseFile
    public var fingerprint: String
    /// `HH-n`, or the key of a household imported before (`unit/household`, `import lists`).
    public var households: [String]
    /// The file's column of the households, for refusals (`line 4, column 12 (households): …`).
    public var householdColumn: Int
    /// The communes a named household may be filed under: the case's unit and its lineage.
    public var communes: Set<String>
    /// The text of the case's own audit record.
    public var change: String

    public init(
        file: CaseFile, fingerprint: String, households: [String], householdColumn: Int, communes: Set<String>,
        change: String
    ) {
        self.file = file
        self.fingerprint = fingerprint
        self.households = households
        self.householdColumn = householdColumn
        self.communes = communes
        self.change = change
    }
}

/// One task of an import file as the store writes it (`Store.importTasks`).
public struct TaskImport: Sendable, Hashable {
    /// The task to create, its `imported` mark holding the key.
    public var task: WorkTask
    public var fingerprint: String
    /// The move into a closed state (`done`, `cancelled`) on the day the file gives, for TASK SHOW and
    /// REPORT WORK; nil when the file gives no day or the task is open.
    public var transition: TaskTransition?
    /// The text of the task's own audit record.
    public var change: String

    public init(task: WorkTask, fingerprint: String, transition: TaskTransition?, change: String) {
        self.task = task
        self.fingerprint = fingerprint
        self.transition = transition
        self.change = change
    }
}

/// What a case or task import did (or, in a dry run, would do).
public struct RecordImportOutcome: Sendable, Hashable {
    /// Key → id (`C-n`, `T-n`), for every record of the file.
    public var ids: [String: String]
    /// Keys of the records created now, in file order.
    public var created: [String]
    /// Keys of records imported before with the same content.
    public var unchanged: [String]

    public init(ids: [String: String] = [:], created: [String] = [], unchanged: [String] = []) {
        self.ids = ids
        self.created = created
        self.unchanged = unchanged
    }
}

/// The checks both backends make the same way while writing a case or task import.
public enum RecordImportCheck {
    /// A record imported before: the same fingerprint, or the whole file is refused (`CONFLICT`).
    public static func same(_ stored: String, _ given: String, _ kind: String, _ id: String, _ mark: ImportMark)
        throws
    {
        guard stored != given else { return }
        throw DomainError(
            .conflict,
            "line \(mark.line): \(kind) \(mark.key) was imported before as \(id) with other content: correct it "
                + "in CaseLine, not by importing again", details: [(kind, id)])
    }

    /// Why a household a case names cannot stand (not found, or filed under another commune), or nil.
    public static func household(
        _ reference: String, _ found: (id: Int64, commune: String)?, _ item: CaseImport
    ) -> SurveyImport.Issue? {
        let line = item.file.imported?.line ?? 0
        guard let found else {
            return SurveyImport.Issue(
                line: line, column: item.householdColumn, field: "households",
                message: reference.hasPrefix("HH-")
                    ? "no household \(reference)" : "no household was imported under the key \(reference)")
        }
        guard item.communes.contains(found.commune) else {
            return SurveyImport.Issue(
                line: line, column: item.householdColumn, field: "households",
                message: "household \(reference) (HH-\(found.id)) is filed under \(found.commune), not under "
                    + "\(item.file.commune) or its successors")
        }
        return nil
    }
}
